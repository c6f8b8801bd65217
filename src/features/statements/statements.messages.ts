/* Words of the statements pages. */
export const statementsFr = {
} as const;

export const statementsEn: Record<keyof typeof statementsFr, string> = {
};
