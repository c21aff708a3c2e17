// A User-Agent header in plain words for the personal area and the notices ("Firefox on
// Windows"): the browser family and the operating system, nothing more. A small ordered list
// of markers is enough (browsers name their ancestors too, so the more specific go first);
// no version numbers, which say nothing to a citizen and change every month.

export type BrowserName = 'Edge' | 'Opera' | 'Samsung Internet' | 'Firefox' | 'Chrome' | 'Safari' | 'Internet Explorer';
export type SystemName = 'Windows' | 'Android' | 'iPhone' | 'iPad' | 'macOS' | 'ChromeOS' | 'Linux';

export interface DeviceDescription {
  browser: BrowserName | null;
  system: SystemName | null;
  mobile: boolean;
}

const browsers: readonly [RegExp, BrowserName][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera|OPiOS)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\b(MSIE |Trident\/)/, 'Internet Explorer'],
];

const systems: readonly [RegExp, SystemName][] = [
  [/\bWindows\b/, 'Windows'],
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b|\biPod\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

export function describeUserAgent(userAgent: string | null | undefined): DeviceDescription {
  const ua = (userAgent ?? '').slice(0, 300);
  const browser = browsers.find(([marker]) => marker.test(ua))?.[1] ?? null;
  const system = systems.find(([marker]) => marker.test(ua))?.[1] ?? null;
  const mobile = /\bMobile\b|\biPhone\b|\bAndroid\b.*\bMobile\b/.test(ua) || system === 'iPhone';
  return { browser, system, mobile };
}
