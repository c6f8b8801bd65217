import { generate } from 'otplib';
import { expect } from 'vitest';
import type { StaffRole } from '../../src/db/schema.ts';
import { createStaffSession } from '../../src/features/staff/staff.sessions.ts';
import { newTotpSecret, sealTotpSecret } from '../../src/features/staff/staff.totp.ts';
import { type Clock, newId, nowIso } from '../../src/lib/clock.ts';
import { hashPassword } from '../../src/lib/passwords.ts';
import type { Db } from '../../src/db/database.ts';
import { Browser, type TestApp } from './app.ts';

let serial = 0;

/** An active staff member (no password nor second factor: the login's own tests set those). */
export async function createStaffMember(db: Db, clock: Clock, over: { role?: StaffRole; email?: string; displayName?: string } = {}) {
  const id = newId();
  const n = ++serial;
  const member = {
    id,
    email: over.email ?? `staff-${n}-${id.slice(-8)}@operator.example`,
    display_name: over.displayName ?? `Agent ${n}`,
    role: over.role ?? 'agent',
    state: 'active' as const,
    created_at: nowIso(clock),
    updated_at: nowIso(clock),
  };
  await db.insertInto('staff_members').values(member).execute();
  return member;
}

/**
 * A browser holding a full back-office session of a new member of this role, opened the way
 * the login opens it (`createStaffSession`), for tests of the back office's pages; the
 * login itself (password, second factor) is tested through its forms (`staffLoginThroughForms`).
 */
export async function loggedInStaff(t: TestApp, ip: string, role: StaffRole = 'agent') {
  const staff = await createStaffMember(t.db, t.clock, { role });
  const token = await createStaffSession(t.db, t.clock, t.app.staffSessionPolicy, staff.id, 'full', { ip, user_agent: 'test' });
  const b = new Browser(t.app, ip);
  b.cookies.set(t.app.staffCookie.name, token);
  return { b, staff };
}

/** A member who has enrolled: their password and TOTP secret, known to the test. */
export interface EnrolledStaff {
  staff: Awaited<ReturnType<typeof createStaffMember>>;
  password: string;
  secret: string;
}

/** A new active member of this role with a password and a second factor, as an enrolment leaves them. */
export async function enrolledStaffMember(t: Pick<TestApp, 'db' | 'clock' | 'config'>, role: StaffRole = 'agent'): Promise<EnrolledStaff> {
  const staff = await createStaffMember(t.db, t.clock, { role });
  const password = `lanterne ${staff.id.slice(-8)} violette boussole`;
  const secret = newTotpSecret();
  await t.db
    .updateTable('staff_members')
    .set({ password_hash: await hashPassword(password), totp_secret_encrypted: sealTotpSecret(t.config, secret) })
    .where('id', '=', staff.id)
    .execute();
  return { staff, password, secret };
}

/** The code an authenticator app holding `secret` shows at `at` (the test app's clock). */
export const totpCode = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/**
 * Logs in through the real forms — e-mail and password, then the code the member's app would
 * show now — from `ip`; `who` is a member (`enrolledStaffMember`) or the role of a new one.
 * `suite` is the page asked for. Expects each step to succeed.
 */
export async function staffLoginThroughForms(t: TestApp, ip: string, who: StaffRole | EnrolledStaff = 'agent', suite?: string) {
  const member = typeof who === 'string' ? await enrolledStaffMember(t, who) : who;
  const b = new Browser(t.app, ip);
  const carried: Record<string, string> = suite ? { suite } : {};
  const first = await b.submit(`/gestion/connexion${suite ? `?suite=${encodeURIComponent(suite)}` : ''}`, '/gestion/connexion', {
    email: member.staff.email,
    password: member.password,
    ...carried,
  });
  expect(first.statusCode, first.body).toBe(303);
  expect(first.headers.location).toMatch(/^\/gestion\/verification/);
  const code = await totpCode(member.secret, t.clock.now());
  const second = await b.submit(String(first.headers.location), '/gestion/verification', { code, ...carried });
  expect(second.statusCode, second.body).toBe(303);
  return { b, ...member, landing: String(second.headers.location) };
}
