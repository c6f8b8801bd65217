/**
 * The portal's own address for a path (`/mon-compte`…), for e-mails, providers and redirects
 * that leave the site. `PUBLIC_URL` comes without a trailing slash (the configuration trims it).
 */
export const publicUrl = (config, path) => `${config.PUBLIC_URL}${path}`;
/**
 * `target` carrying the page to go on to once there (`suite`): the login and first-login forms
 * lead there afterwards. Kept readable (`/connexion?suite=/prelevement`); the page is a local
 * path (`localPath` in `validation.ts`), checked again wherever it is read.
 */
export function withSuite(target, suite) {
    if (!suite)
        return target;
    return `${target}${target.includes('?') ? '&' : '?'}suite=${encodeURIComponent(suite).replaceAll('%2F', '/')}`;
}
//# sourceMappingURL=links.js.map