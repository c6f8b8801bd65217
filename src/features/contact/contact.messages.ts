/* Words of the contact pages and e-mails. */
export const contactFr = {
} as const;

export const contactEn: Record<keyof typeof contactFr, string> = {
};
