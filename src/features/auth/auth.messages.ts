/* Words of the auth pages and e-mails. */
export const authFr = {
} as const;

export const authEn: Record<keyof typeof authFr, string> = {
};
