// Kept so that flows keep their short import; the type lives in the domain (web/ needs it too).
export type { RequestMeta } from '../domain/request-meta.ts';
