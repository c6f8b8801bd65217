/* Words of the newsletter pages and e-mails. */
export const newsletterFr = {
} as const;

export const newsletterEn: Record<keyof typeof newsletterFr, string> = {
};
