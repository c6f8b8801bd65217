import type { Language } from '../db/schema.ts';

/*
 * The UI's words. French is the reference; English must have exactly the same keys
 * (the type below makes a missing translation a compile error).
 * Placeholders are {name}.
 */
const fr = {
  'site.title': 'Mon espace client',
  'site.skip': 'Aller au contenu',
  'lang.switch': 'English',
  'lang.switch.label': 'Switch to English',
  'lang.name.fr': 'Français',
  'lang.name.en': 'Anglais',
  'nav.label': 'Navigation principale',
  'nav.profile': 'Profil',
  'nav.contracts': 'Contrats',
  'nav.account': 'Mon compte',
  'nav.statements': 'Décomptes petits rouleurs',
  'nav.contact': 'Contact',
  'header.welcome': 'Bienvenue {name}',
  'header.logout': 'Déconnexion',
  'footer.label': 'Liens utiles',
  'footer.contacts': 'CONTACTS',
  'footer.parkings': 'Tous nos parkings',
  'footer.back': 'Retour sur {site}',
  'footer.legal': '{operator} — {legal}, SIREN {siren}',

  'login.title': 'Mon espace client',
  'login.heading': 'Connexion',
  'login.intro':
    'Lors de votre première connexion, identifiez-vous avec votre identifiant (votre n° de client) et votre mot de passe temporaire. Ces deux informations figurent sur votre dernière facture, en haut à gauche.',
  'login.identifier': 'IDENTIFIANT (n° client)',
  'login.identifier.hint': 'Par exemple CLT013261',
  'login.password': 'Mot de passe',
  'login.submit': 'Se connecter',
  'login.error.invalid': 'Identifiant ou mot de passe incorrect.',
  'login.error.throttled':
    'Trop de tentatives de connexion. Par sécurité, réessayez dans {minutes} minute(s).',
  'login.error.required': 'Saisissez votre identifiant et votre mot de passe.',
  'login.loggedOut': 'Vous êtes déconnecté.',
  'login.expired': 'Votre session a expiré. Merci de vous reconnecter.',

  'activate.title': 'Première connexion',
  'activate.intro':
    'Bienvenue ! Pour terminer l’activation de votre espace client, créez votre mot de passe et renseignez votre ou vos adresses e-mail.',
  'activate.identifier': 'IDENTIFIANT (n° client)',
  'activate.password': 'CRÉER UN MOT DE PASSE',
  'activate.password.hint':
    'Au moins 12 caractères. Une phrase de passe facile à retenir est idéale ; évitez votre identifiant, votre nom, votre adresse e-mail et les mots de passe courants.',
  'activate.confirm': 'CONFIRMER LE MOT DE PASSE',
  'activate.emailPrimary': 'ADRESSE EMAIL PRINCIPALE',
  'activate.emailSecondary': 'ADRESSE EMAIL SECONDAIRE',
  'activate.optional': '(facultatif)',
  'activate.required': '(obligatoire)',
  'activate.paperless.legend': 'Ensemble, faisons un geste pour l’environnement',
  'activate.paperless': 'J’accepte de recevoir mes documents par e-mail',
  'activate.paperless.benefits':
    'Vous recevez et consultez vos documents directement sur votre espace client, avec 5 ans d’historique ; vous êtes informé par e-mail de la mise à disposition de tout nouveau document ; vous pouvez payer en ligne le solde de votre compte client. Le papier reste disponible gratuitement sur simple demande.',
  'activate.submit': 'Valider',
  'activate.errorSummary': 'Le formulaire contient {count} erreur(s) :',

  'error.password.tooShort': 'Le mot de passe doit contenir au moins {min} caractères.',
  'error.password.tooLong': 'Le mot de passe ne peut pas dépasser {max} caractères.',
  'error.password.weak':
    'Ce mot de passe est trop facile à deviner. Allongez-le, par exemple avec une phrase de plusieurs mots.',
  'error.password.common': 'Ce mot de passe est trop courant. Choisissez-en un autre.',
  'error.password.context':
    'Le mot de passe ne doit contenir ni votre identifiant, ni votre nom, ni votre adresse e-mail, ni le nom de l’exploitant.',
  'error.password.temporary': 'Le nouveau mot de passe doit être différent du mot de passe temporaire.',
  'error.password.mismatch': 'Les deux mots de passe ne sont pas identiques.',
  'error.email.required': 'Saisissez votre adresse e-mail principale.',
  'error.email.invalid': 'Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.',
  'error.email.same': 'L’adresse secondaire doit être différente de l’adresse principale.',

  'profile.title': 'Profil',
  'profile.personal': 'Informations personnelles',
  'profile.number': 'N° client',
  'profile.name': 'Nom',
  'profile.company': 'Société',
  'profile.address': 'Adresse',
  'profile.phone': 'Téléphone',
  'profile.mobile': 'Téléphone mobile',
  'profile.emailPrimary': 'Adresse e-mail principale',
  'profile.emailSecondary': 'Adresse e-mail secondaire',
  'profile.paperless': 'Documents par e-mail',
  'profile.paperless.yes': 'Oui, depuis le {date}',
  'profile.paperless.no': 'Non : vous recevez vos documents par courrier',
  'profile.language': 'Langue',
  'profile.none': 'Non renseigné',
  'profile.contracts': 'Mes contrats',
  'profile.contracts.none': 'Aucun contrat.',
  'profile.contract.number': 'N° du contrat',
  'profile.contract.carPark': 'Parc',
  'profile.contract.product': 'Prestation',
  'profile.contract.status': 'Statut',
  'profile.contract.start': 'Date de début',
  'profile.welcomeActivated': 'Votre espace client est activé. Bienvenue !',

  'product.resident': 'Résident',
  'product.resident_petit_rouleur': 'Résident petit rouleur',
  'product.non_resident': 'Non-résident',
  'product.moto': 'Moto',
  'product.business': 'Abonnement entreprise',
  'status.active': 'En cours',
  'status.ended': 'Terminé',
  'status.suspended': 'Suspendu',

  'contact.title': 'Contacts',
  'contact.service': 'Service client',
  'contact.phone': 'Téléphone',
  'contact.email': 'E-mail',
  'contact.address': 'Adresse postale',
  'contact.yourParks': 'Vos parcs',
  'contact.intro':
    'Pour nous communiquer une modification (adresse, téléphone, immatriculation…) ou pour toute question, contactez le service client ou votre parc.',
  'parkings.title': 'Tous nos parkings',
  'parkings.hours': 'Horaires',
  'parkings.services': 'Services',

  'error.title': 'Une erreur est survenue',
  'error.generic': 'Une erreur inattendue est survenue. Réessayez dans quelques instants ; si elle persiste, contactez le service client.',
  'error.notFound.title': 'Page introuvable',
  'error.notFound': 'La page demandée n’existe pas ou n’est pas accessible.',
  'error.forbidden.title': 'Action refusée',
  'error.forbidden': 'Cette action n’a pas pu être vérifiée. Rechargez la page et réessayez.',
  'error.badRequest.title': 'Requête invalide',
  'error.badRequest': 'La requête n’a pas pu être traitée.',
  'error.tooMany.title': 'Trop de requêtes',
  'error.tooMany': 'Trop de requêtes. Réessayez dans quelques minutes.',
  'error.unavailable.title': 'Service indisponible',
  'error.unavailable': 'Le service redémarre. Réessayez dans quelques instants.',
  'error.home': 'Retour à l’accueil',
} as const;

export type MessageKey = keyof typeof fr;

const en: Record<MessageKey, string> = {
  'site.title': 'My customer area',
  'site.skip': 'Skip to content',
  'lang.switch': 'Français',
  'lang.switch.label': 'Passer en français',
  'lang.name.fr': 'French',
  'lang.name.en': 'English',
  'nav.label': 'Main navigation',
  'nav.profile': 'Profile',
  'nav.contracts': 'Contracts',
  'nav.account': 'My account',
  'nav.statements': 'Low-mileage statements',
  'nav.contact': 'Contact',
  'header.welcome': 'Welcome {name}',
  'header.logout': 'Log out',
  'footer.label': 'Useful links',
  'footer.contacts': 'CONTACTS',
  'footer.parkings': 'All our car parks',
  'footer.back': 'Back to {site}',
  'footer.legal': '{operator} — {legal}, SIREN {siren}',

  'login.title': 'My customer area',
  'login.heading': 'Log in',
  'login.intro':
    'The first time, log in with your login (your customer number) and your temporary password. Both are printed at the top left of your latest invoice.',
  'login.identifier': 'LOGIN (customer no.)',
  'login.identifier.hint': 'For example CLT013261',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.error.invalid': 'Incorrect login or password.',
  'login.error.throttled': 'Too many login attempts. For your security, try again in {minutes} minute(s).',
  'login.error.required': 'Enter your login and your password.',
  'login.loggedOut': 'You are logged out.',
  'login.expired': 'Your session has expired. Please log in again.',

  'activate.title': 'First login',
  'activate.intro': 'Welcome! To activate your customer area, create your password and enter your e-mail address(es).',
  'activate.identifier': 'LOGIN (customer no.)',
  'activate.password': 'CREATE A PASSWORD',
  'activate.password.hint':
    'At least 12 characters. An easy-to-remember passphrase is ideal; avoid your login, your name, your e-mail address and common passwords.',
  'activate.confirm': 'CONFIRM THE PASSWORD',
  'activate.emailPrimary': 'MAIN E-MAIL ADDRESS',
  'activate.emailSecondary': 'SECONDARY E-MAIL ADDRESS',
  'activate.optional': '(optional)',
  'activate.required': '(required)',
  'activate.paperless.legend': 'Let’s do something for the environment together',
  'activate.paperless': 'I agree to receive my documents by e-mail',
  'activate.paperless.benefits':
    'You receive and view your documents in your customer area, with 5 years of history; you are told by e-mail whenever a new document is available; you can pay your account balance online. Paper remains available free of charge on request.',
  'activate.submit': 'Confirm',
  'activate.errorSummary': 'The form has {count} error(s):',

  'error.password.tooShort': 'The password must be at least {min} characters long.',
  'error.password.tooLong': 'The password cannot be longer than {max} characters.',
  'error.password.weak': 'This password is too easy to guess. Make it longer, for example a sentence of several words.',
  'error.password.common': 'This password is too common. Choose another one.',
  'error.password.context':
    'The password must not contain your login, your name, your e-mail address or the operator’s name.',
  'error.password.temporary': 'The new password must differ from the temporary password.',
  'error.password.mismatch': 'The two passwords do not match.',
  'error.email.required': 'Enter your main e-mail address.',
  'error.email.invalid': 'Enter a valid e-mail address, for example name@example.com.',
  'error.email.same': 'The secondary address must differ from the main address.',

  'profile.title': 'Profile',
  'profile.personal': 'Personal information',
  'profile.number': 'Customer no.',
  'profile.name': 'Name',
  'profile.company': 'Company',
  'profile.address': 'Address',
  'profile.phone': 'Phone',
  'profile.mobile': 'Mobile phone',
  'profile.emailPrimary': 'Main e-mail address',
  'profile.emailSecondary': 'Secondary e-mail address',
  'profile.paperless': 'Documents by e-mail',
  'profile.paperless.yes': 'Yes, since {date}',
  'profile.paperless.no': 'No: you receive your documents by post',
  'profile.language': 'Language',
  'profile.none': 'Not provided',
  'profile.contracts': 'My contracts',
  'profile.contracts.none': 'No contract.',
  'profile.contract.number': 'Contract no.',
  'profile.contract.carPark': 'Car park',
  'profile.contract.product': 'Product',
  'profile.contract.status': 'Status',
  'profile.contract.start': 'Start date',
  'profile.welcomeActivated': 'Your customer area is active. Welcome!',

  'product.resident': 'Resident',
  'product.resident_petit_rouleur': 'Resident, low mileage (“petit rouleur”)',
  'product.non_resident': 'Non-resident',
  'product.moto': 'Motorbike',
  'product.business': 'Business subscription',
  'status.active': 'Current',
  'status.ended': 'Ended',
  'status.suspended': 'Suspended',

  'contact.title': 'Contacts',
  'contact.service': 'Customer service',
  'contact.phone': 'Phone',
  'contact.email': 'E-mail',
  'contact.address': 'Postal address',
  'contact.yourParks': 'Your car parks',
  'contact.intro':
    'To tell us about a change (address, phone, licence plate…) or for any question, contact customer service or your car park.',
  'parkings.title': 'All our car parks',
  'parkings.hours': 'Opening hours',
  'parkings.services': 'Services',

  'error.title': 'Something went wrong',
  'error.generic': 'An unexpected error occurred. Try again in a moment; if it persists, contact customer service.',
  'error.notFound.title': 'Page not found',
  'error.notFound': 'The page you asked for does not exist or is not available.',
  'error.forbidden.title': 'Action refused',
  'error.forbidden': 'This action could not be verified. Reload the page and try again.',
  'error.badRequest.title': 'Invalid request',
  'error.badRequest': 'The request could not be processed.',
  'error.tooMany.title': 'Too many requests',
  'error.tooMany': 'Too many requests. Try again in a few minutes.',
  'error.unavailable.title': 'Service unavailable',
  'error.unavailable': 'The service is restarting. Try again in a moment.',
  'error.home': 'Back to the home page',
};

const catalogs: Record<Language, Record<MessageKey, string>> = { fr, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Language): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key];
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : text;
  };
}

export const languages: readonly Language[] = ['fr', 'en'];
export const isLanguage = (v: unknown): v is Language => v === 'fr' || v === 'en';

/** `09/12/2015` in French, `9 Dec 2015` in English. Accepts `YYYY-MM-DD` or a full ISO timestamp. */
export function formatDate(iso: string, lang: Language): string {
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  return lang === 'fr'
    ? new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' }).format(d)
    : new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Paris' }).format(d);
}
