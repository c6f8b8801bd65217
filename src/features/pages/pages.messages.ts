/* Words of the pages pages and e-mails. */
export const pagesFr = {
} as const;

export const pagesEn: Record<keyof typeof pagesFr, string> = {
};
