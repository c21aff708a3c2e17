// Office appointments (issue 6): slots on working days only, booking, cancelling, and one
// winner when two citizens take the same slot at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';

describe('appointments', () => {
  let t: TestApp;
  let officeId: string;
  before(async () => {
    t = await startTestApp();
    const office = await t.app.inject({ method: 'POST', url: '/api/v1/admin/offices', headers: { authorization: `Bearer ${adminToken}` },
      payload: { name: 'Sede di Roma', address: 'Via Roma 1', opensAt: '09:00', closesAt: '11:00', slotMinutes: 30 } });
    assert.equal(office.statusCode, 201, office.body);
    officeId = office.json().id;
  });
  after(() => t.close());

  const slots = async (date: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/appointments/offices/${officeId}/slots?date=${date}` })).json().slots as { start: string; free: boolean }[];
  const book = (slotStart: string, email = 'anna@example.it') => t.app.inject({ method: 'POST', url: '/api/v1/appointments',
    payload: { officeId, slotStart, codiceFiscale: 'RSSMRA85T10A562S', email } });

  test('slots follow opening hours in Italian time, on working days only', async () => {
    const monday = await slots('2026-11-30');
    assert.deepEqual(monday.map((s) => s.start), ['2026-11-30T08:00:00.000Z', '2026-11-30T08:30:00.000Z', '2026-11-30T09:00:00.000Z', '2026-11-30T09:30:00.000Z']);
    assert.deepEqual(await slots('2026-11-28'), [], 'Saturday');
    assert.deepEqual(await slots('2026-12-08'), [], 'Immacolata');
  });

  test('a booking is confirmed by email and can be seen and cancelled through its link', async () => {
    const [first] = await slots('2026-11-30');
    const booked = await book(first!.start);
    assert.equal(booked.statusCode, 201);
    assert.equal((await slots('2026-11-30'))[0]!.free, false);
    const mail = (await mailbox(t.app, 'anna@example.it')).find((m) => m.kind === 'appointment_confirmed');
    const token = /\/appointments\/manage\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
    assert.ok(token);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/appointments/${token}` })).json().status, 'booked');
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/appointments/${token}/cancel` })).statusCode, 204);
    assert.equal((await slots('2026-11-30'))[0]!.free, true, 'the slot is free again');
  });

  test('two parallel bookings of one slot: one wins, the other is told it is taken', async () => {
    const slot = (await slots('2026-12-01'))[1]!.start;
    const results = await Promise.all([book(slot, 'uno@example.it'), book(slot, 'due@example.it')]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409]);
    assert.equal(results.find((r) => r.statusCode === 409)!.json().code, 'conflict');
  });

  test('a time that is not a slot of the office is refused', async () => {
    const response = await book('2026-12-01T08:10:00.000Z');
    assert.deepEqual([response.statusCode, response.json().code], [400, 'invalid_request']);
  });
});
