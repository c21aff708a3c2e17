import type { Clock } from '../../src/domain/clock.ts';

/** A clock that stands still until a test moves it. */
export class TestClock implements Clock {
  private current: Date;
  constructor(start = '2026-11-24T09:00:00.000Z') {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}
