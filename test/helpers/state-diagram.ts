// A committed mermaid state diagram must draw exactly its flow's transitions table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export function assertDiagramDrawsTable<S extends string>(diagramUrl: URL, states: readonly S[], transitions: Record<S, readonly S[]>): void {
  const diagram = readFileSync(diagramUrl, 'utf8');
  const drawn = [...diagram.matchAll(/^\s*(\w+) --> (\w+):/gm)].map((m) => `${m[1]} → ${m[2]}`).sort();
  const table = states.flatMap((from) => transitions[from].map((to) => `${from} → ${to}`)).sort();
  assert.deepEqual(drawn, table);
}
