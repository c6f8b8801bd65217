import { DAY } from '../../lib/clock.js';
import { addError } from '../../lib/forms.js';
import { MAX_LENGTH, STAFF_MIN_LENGTH, checkPassword } from '../../lib/passwords.js';
import { emailAddress } from '../../lib/validation.js';
/* The rules of the staff's login, enrolment and team: pure functions, no database. */
/** An enrolment link works once, for 24 hours. */
export const ENROLMENT_TTL_MS = DAY;
/** Recovery codes handed out at enrolment, each good for one login. */
export const RECOVERY_CODE_COUNT = 10;
export const NAME_MAX = 100;
export const STAFF_ROLES = ['agent', 'admin'];
export const isStaffRole = (v) => v === 'agent' || v === 'admin';
/** What the member typed in the code field: a TOTP code (6 digits, spaces allowed) or else a recovery code. */
export function readSecondFactor(typed) {
    const compact = typed.replace(/[\s-]/g, '').toLowerCase();
    if (!compact)
        return null;
    if (/^\d{6}$/.test(compact))
        return { kind: 'totp', code: compact };
    return { kind: 'recovery', code: compact };
}
/** A TOTP secret (base32) as shown beside the QR code: groups of four, `ABCD EFGH …`. */
export const groupByFour = (s) => s.match(/.{1,4}/g)?.join(' ') ?? '';
/**
 * The password policy (A2) for a member of staff: `checkPassword` — breached and common
 * passwords, estimated strength — at `STAFF_MIN_LENGTH` (16) rather than the customers' 12.
 * The issue asks for at least 12: a back-office password opens every customer's data, so the
 * stricter length the policy already defines for staff is the one used. Their e-mail, name
 * and the operator's name count against it.
 */
export function checkStaffPassword(password, member, operatorName) {
    const key = checkPassword(password, { minLength: STAFF_MIN_LENGTH, contextWords: [member.email, member.name, operatorName] });
    return key ? { key, params: { min: STAFF_MIN_LENGTH, max: MAX_LENGTH } } : null;
}
/** What is wrong with an invitation (the team page's form and `staff create`); the address already taken is the service's to say. */
export function inviteErrors(values) {
    const errors = {};
    if (!values.email)
        addError(errors, 'email', 'staff.error.email.required');
    else if (!emailAddress.safeParse(values.email).success)
        addError(errors, 'email', 'error.email.invalid');
    if ([...values.name].length > NAME_MAX)
        addError(errors, 'name', 'staff.error.name.tooLong', { max: NAME_MAX });
    if (!isStaffRole(values.role))
        addError(errors, 'role', 'staff.error.role');
    return errors;
}
/** What is wrong with the enrolment form before the code is checked against the secret. */
export function enrolmentErrors(values, email, operatorName) {
    const errors = {};
    if (!values.name)
        addError(errors, 'name', 'staff.error.name.required');
    else if ([...values.name].length > NAME_MAX)
        addError(errors, 'name', 'staff.error.name.tooLong', { max: NAME_MAX });
    const policy = checkStaffPassword(values.password, { email, name: values.name }, operatorName);
    if (policy)
        addError(errors, 'password', policy.key, policy.params);
    else if (values.password !== values.password_confirm)
        addError(errors, 'password_confirm', 'error.password.mismatch');
    if (readSecondFactor(values.code)?.kind !== 'totp')
        addError(errors, 'code', 'staff.error.code.required');
    return errors;
}
/**
 * Why an admin may not do this to this member, or null: nobody disables or resets their own
 * access (they would lock themselves out), the last active admin stays one, and a disabled
 * member is enabled before anything else.
 */
export function teamRefusal(action, actorId, target, activeAdmins, newRole) {
    const self = actorId === target.id;
    const lastAdmin = target.role === 'admin' && target.state === 'active' && activeAdmins <= 1;
    switch (action) {
        case 'role':
            return newRole !== 'admin' && lastAdmin ? 'staff.member.error.lastAdmin' : null;
        case 'disable':
            if (self)
                return 'staff.member.error.self';
            if (target.state === 'disabled')
                return 'staff.member.error.disabled';
            return lastAdmin ? 'staff.member.error.lastAdmin' : null;
        case 'enable':
            return target.state === 'disabled' ? null : 'staff.member.error.notDisabled';
        case 'new_link':
            if (self)
                return 'staff.member.error.self';
            if (target.state === 'disabled')
                return 'staff.member.error.disabled';
            return lastAdmin ? 'staff.member.error.lastAdmin' : null;
    }
}
//# sourceMappingURL=staff.rules.js.map