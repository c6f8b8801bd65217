import type { Config } from '../config.ts';

/**
 * The portal's own address for a path (`/mon-compte`…), for e-mails, providers and redirects
 * that leave the site. `PUBLIC_URL` comes without a trailing slash (the configuration trims it).
 */
export const publicUrl = (config: Pick<Config, 'PUBLIC_URL'>, path: `/${string}`) => `${config.PUBLIC_URL}${path}`;
