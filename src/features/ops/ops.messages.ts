/* The operations' routes (`ops.routes.ts`): what a scraper refused at /metrics reads, in French (the reference) and English. */
export const opsFr = {
  'ops.metrics.unauthorized': 'Envoyez le jeton des métriques (METRICS_TOKEN) dans l’en-tête Authorization (Bearer).',
};

export const opsEn: Record<keyof typeof opsFr, string> = {
  'ops.metrics.unauthorized': 'Send the metrics token (METRICS_TOKEN) in the Authorization header (Bearer).',
};
