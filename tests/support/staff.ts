import type { StaffRole } from '../../src/db/schema.ts';
import { createStaffSession } from '../../src/features/staff/staff.sessions.ts';
import { type Clock, newId, nowIso } from '../../src/lib/clock.ts';
import type { Db } from '../../src/db/database.ts';
import { Browser, type TestApp } from './app.ts';

let serial = 0;

/** An active staff member (no password nor second factor: the login's own tests set those). */
export async function createStaffMember(db: Db, clock: Clock, over: { role?: StaffRole; email?: string; displayName?: string } = {}) {
  const id = newId();
  const n = ++serial;
  const member = {
    id,
    email: over.email ?? `staff-${n}-${id.slice(0, 8)}@operator.example`,
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
 * login itself (password, second factor) is tested through its forms.
 */
export async function loggedInStaff(t: TestApp, ip: string, role: StaffRole = 'agent') {
  const staff = await createStaffMember(t.db, t.clock, { role });
  const token = await createStaffSession(t.db, t.clock, t.app.staffSessionPolicy, staff.id, 'full', { ip, user_agent: 'test' });
  const b = new Browser(t.app, ip);
  b.cookies.set(t.app.staffCookie.name, token);
  return { b, staff };
}
