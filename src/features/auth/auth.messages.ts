/* Words of the auth pages and e-mails: password reset, e-mail verification and change, and their mails. */
export const authFr = {
  'login.forgot': 'Mot de passe oublié ?',
  'login.passwordChanged': 'Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe.',

  'reset.request.title': 'Mot de passe oublié',
  'reset.request.intro':
    'Saisissez votre identifiant (votre n° de client). Si votre espace client est activé et qu’une adresse e-mail vérifiée y est enregistrée, nous y enverrons un lien pour choisir un nouveau mot de passe.',
  'reset.request.noEmail':
    'Première connexion, ou pas encore d’adresse e-mail vérifiée ? Utilisez le mot de passe temporaire qui figure sur votre dernière facture, en haut à gauche, ou contactez le service client.',
  'reset.request.submit': 'Recevoir un lien par e-mail',
  'reset.request.required': 'Saisissez votre identifiant (n° client).',
  'reset.request.throttled': 'Trop de demandes. Par sécurité, réessayez dans {minutes} minute(s).',
  'reset.sent.title': 'Demande enregistrée',
  'reset.sent.body':
    'Si ce numéro client correspond à un compte activé avec une adresse e-mail vérifiée, un e-mail vient d’y être envoyé. Il contient un lien, valable 1 heure, pour choisir un nouveau mot de passe. Pensez à regarder dans vos courriers indésirables.',
  'reset.sent.otherwise':
    'Sinon : si votre espace client n’est pas encore activé, utilisez le mot de passe temporaire imprimé en haut à gauche de votre dernière facture ; s’il est activé mais sans adresse e-mail vérifiée, contactez le service client au {phone} ({email}), qui vous enverra un nouveau mot de passe temporaire.',
  'reset.backToLogin': 'Retour à la connexion',
  'reset.contact': 'Contacter le service client',
  'reset.form.title': 'Choisir un nouveau mot de passe',
  'reset.form.intro':
    'Choisissez le nouveau mot de passe de votre espace client. Toutes vos sessions ouvertes seront fermées, puis vous vous connecterez avec ce nouveau mot de passe.',
  'reset.form.password': 'NOUVEAU MOT DE PASSE',
  'reset.form.confirm': 'CONFIRMER LE NOUVEAU MOT DE PASSE',
  'reset.form.submit': 'Enregistrer le nouveau mot de passe',
  'reset.invalid.title': 'Lien non valable',
  'reset.invalid.body':
    'Ce lien de changement de mot de passe n’est plus valable : il a déjà été utilisé, il a expiré (il est valable 1 heure) ou il est incomplet.',
  'reset.invalid.again': 'Demander un nouveau lien',

  'verify.title': 'Vérifier mon adresse e-mail',
  'verify.confirm.intro':
    'Confirmez que l’adresse {address} est bien la vôtre : elle recevra alors les e-mails de votre espace client, dont le lien pour changer votre mot de passe si vous l’oubliez.',
  'verify.confirm.submit': 'Confirmer mon adresse e-mail',
  'verify.done.title': 'Adresse e-mail vérifiée',
  'verify.done.body': 'Merci ! L’adresse {address} est vérifiée.',
  'verify.toPortal': 'Accéder à mon espace client',
  'verify.used.title': 'Lien déjà utilisé',
  'verify.used.body':
    'Ce lien de vérification a déjà été utilisé. Si votre adresse n’apparaît pas comme vérifiée dans Profil, demandez-y un nouveau lien.',
  'verify.expired.title': 'Lien expiré',
  'verify.expired.body':
    'Ce lien de vérification a expiré (il est valable 48 heures). Connectez-vous à votre espace client : dans Profil, vous pourrez demander un nouveau lien.',
  'verify.unknown.title': 'Lien non valable',
  'verify.unknown.body':
    'Ce lien de vérification n’est pas valable. Vérifiez qu’il a été copié en entier, ou demandez un nouveau lien depuis Profil.',
  'verify.stale.title': 'Adresse modifiée',
  'verify.stale.body': 'Cette adresse e-mail n’est plus enregistrée dans votre espace client : ce lien ne peut plus servir.',

  'profileEmails.title': 'Adresses e-mail',
  'profileEmails.intro':
    'Seules les adresses vérifiées reçoivent les e-mails de votre espace client (nouveaux documents, lien de changement de mot de passe).',
  'profileEmails.verified': 'vérifiée',
  'profileEmails.pending': 'en attente de vérification',
  'profileEmails.resend': 'Renvoyer le lien de vérification à {address}',
  'profileEmails.change': 'Modifier mes adresses e-mail',
  'profileEmails.pendingTitle': 'Vérifiez votre adresse e-mail',
  'profileEmails.pendingWhy':
    'Tant qu’une adresse n’est pas vérifiée, elle ne reçoit pas vos documents, et le prélèvement automatique ne peut pas être signé en ligne (le code de signature y est envoyé).',
  'profileEmails.sentTo': 'Un lien de vérification a été envoyé à {address} ; il est valable 48 heures. Pas reçu, ou expiré ?',
  'profileEmails.resent': 'Un nouveau lien de vérification vient d’être envoyé. Il est valable 48 heures.',
  'profileEmails.wait':
    'Un lien a été envoyé à cette adresse il y a moins de 5 minutes. Consultez votre messagerie (et vos courriers indésirables) ou réessayez dans quelques minutes.',
  'profileEmails.alreadyVerified': 'Cette adresse est déjà vérifiée.',
  'profileEmails.changed':
    'Vos adresses e-mail sont enregistrées. Chaque nouvelle adresse a reçu un lien de vérification, valable 48 heures.',
  'profileEmails.unchanged': 'Vos adresses e-mail n’ont pas changé.',

  'emailChange.title': 'Modifier mes adresses e-mail',
  'emailChange.intro':
    'Vos adresses e-mail reçoivent vos documents et, en cas d’oubli, le lien pour changer votre mot de passe. Par sécurité, confirmez votre mot de passe actuel. Chaque nouvelle adresse recevra un lien de vérification.',
  'emailChange.password': 'MOT DE PASSE ACTUEL',
  'emailChange.submit': 'Enregistrer mes adresses',
  'emailChange.cancel': 'Annuler et revenir au profil',
  'emailChange.error.passwordRequired': 'Saisissez votre mot de passe actuel.',
  'emailChange.error.passwordWrong': 'Mot de passe incorrect.',
  'emailChange.error.throttled': 'Trop de tentatives. Par sécurité, réessayez dans {minutes} minute(s).',

  'activate.later': 'Pas maintenant ? Vous pourrez terminer plus tard avec le même mot de passe temporaire, tant qu’il est valable.',

  'passwordChange.section': 'Mot de passe',
  'passwordChange.sectionIntro':
    'Vous pouvez changer votre mot de passe à tout moment. Vos sessions ouvertes sur d’autres appareils ou navigateurs seront alors fermées.',
  'passwordChange.title': 'Changer mon mot de passe',
  'passwordChange.intro':
    'Par sécurité, saisissez d’abord votre mot de passe actuel. Une fois le nouveau enregistré, vos sessions ouvertes sur d’autres appareils ou navigateurs seront fermées et un e-mail vous confirmera le changement.',
  'passwordChange.error.same': 'Le nouveau mot de passe doit être différent du mot de passe actuel.',
  'passwordChange.done': 'Votre mot de passe a été modifié. Vos sessions ouvertes ailleurs ont été fermées.',

  'authMail.ifNotYou': 'Si vous n’êtes pas à l’origine de cette action, contactez sans attendre le service client au {phone} ({email}).',
  'authMail.verify.subject': 'Vérifiez votre adresse e-mail',
  'authMail.verify.p1': 'Vous avez indiqué l’adresse {address} pour votre espace client {operator}.',
  'authMail.verify.p2': 'Pour la confirmer, ouvrez le lien ci-dessous puis cliquez sur « Confirmer mon adresse e-mail ».',
  'authMail.verify.action': 'Vérifier mon adresse e-mail',
  'authMail.verify.note':
    'Ce lien est valable 48 heures et ne sert qu’une fois. Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : l’adresse ne sera pas vérifiée.',
  'authMail.emailChanged.subject': 'Les adresses e-mail de votre espace client ont été modifiées',
  'authMail.emailChanged.p1': 'Les adresses e-mail de votre espace client (n° client {number}) ont été modifiées le {date}. Elles sont désormais :',
  'authMail.emailChanged.primary': 'Adresse principale : {address}',
  'authMail.emailChanged.secondary': 'Adresse secondaire : {address}',
  'authMail.emailChanged.none': 'aucune',
  'authMail.emailChanged.p2': 'Si vous êtes à l’origine de cette modification, vous n’avez rien à faire.',
  'authMail.reset.subject': 'Choisir un nouveau mot de passe',
  'authMail.reset.p1': 'Un nouveau mot de passe a été demandé pour votre espace client (n° client {number}).',
  'authMail.reset.p2': 'Pour le choisir, ouvrez le lien ci-dessous.',
  'authMail.reset.action': 'Choisir un nouveau mot de passe',
  'authMail.reset.note':
    'Ce lien est valable 1 heure et ne sert qu’une fois. Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe actuel reste valable.',
  'authMail.passwordChanged.subject': 'Votre mot de passe a été modifié',
  'authMail.passwordChanged.p1':
    'Le mot de passe de votre espace client (n° client {number}) a été modifié le {date}. Par sécurité, toutes les sessions ouvertes ont été fermées.',
  'authMail.passwordChanged.action': 'Me connecter',
  'authMail.paperlessOn.subject': 'Confirmation : vos documents par e-mail',
  'authMail.paperlessOn.p1': 'Vous avez accepté le {date} de recevoir vos documents par e-mail. Ce qui change :',
  'authMail.paperlessOn.l1': 'vos factures et avoirs sont disponibles dans votre espace client, avec 5 ans d’historique ;',
  'authMail.paperlessOn.l2': 'vous êtes informé par e-mail de la mise à disposition de chaque nouveau document ;',
  'authMail.paperlessOn.l3': 'vous ne recevez plus vos documents par courrier.',
  'authMail.paperlessOn.p2': 'Vous pouvez revenir au courrier papier à tout moment, gratuitement, depuis la page Profil de votre espace client.',
  'authMail.paperlessOff.subject': 'Confirmation : retour au courrier papier',
  'authMail.paperlessOff.p1': 'Vous avez choisi le {date} de ne plus recevoir vos documents par e-mail. Ce qui change :',
  'authMail.paperlessOff.l1': 'vos prochains documents vous seront envoyés par courrier, gratuitement ;',
  'authMail.paperlessOff.l2': 'dans votre espace client, l’historique de vos documents est limité aux 12 derniers mois ;',
  'authMail.paperlessOff.l3': 'vous n’êtes plus informé par e-mail des nouveaux documents.',
  'authMail.paperlessOff.p2': 'Vous pouvez de nouveau choisir les documents par e-mail à tout moment depuis la page Profil de votre espace client.',
  'authMail.toProfile': 'Accéder à mon profil',
} as const;

export const authEn: Record<keyof typeof authFr, string> = {
  'login.forgot': 'Forgot your password?',
  'login.passwordChanged': 'Your password has been changed. Log in with your new password.',

  'reset.request.title': 'Forgotten password',
  'reset.request.intro':
    'Enter your login (your customer number). If your customer area is active and has a verified e-mail address, we will send a link to choose a new password to that address.',
  'reset.request.noEmail':
    'First login, or no verified e-mail address yet? Use the temporary password printed at the top left of your latest invoice, or contact customer service.',
  'reset.request.submit': 'Send me a link by e-mail',
  'reset.request.required': 'Enter your login (customer no.).',
  'reset.request.throttled': 'Too many requests. For your security, try again in {minutes} minute(s).',
  'reset.sent.title': 'Request received',
  'reset.sent.body':
    'If this customer number belongs to an active account with a verified e-mail address, an e-mail has just been sent to it. It contains a link, valid for 1 hour, to choose a new password. Remember to check your spam folder.',
  'reset.sent.otherwise':
    'Otherwise: if your customer area is not activated yet, use the temporary password printed at the top left of your latest invoice; if it is active but has no verified e-mail address, contact customer service on {phone} ({email}), who will send you a new temporary password.',
  'reset.backToLogin': 'Back to the login page',
  'reset.contact': 'Contact customer service',
  'reset.form.title': 'Choose a new password',
  'reset.form.intro':
    'Choose the new password of your customer area. All your open sessions will be closed, then you will log in with this new password.',
  'reset.form.password': 'NEW PASSWORD',
  'reset.form.confirm': 'CONFIRM THE NEW PASSWORD',
  'reset.form.submit': 'Save the new password',
  'reset.invalid.title': 'Link not valid',
  'reset.invalid.body':
    'This password link is no longer valid: it has already been used, it has expired (it is valid for 1 hour) or it is incomplete.',
  'reset.invalid.again': 'Ask for a new link',

  'verify.title': 'Verify my e-mail address',
  'verify.confirm.intro':
    'Confirm that {address} is your address: it will then receive the e-mails of your customer area, including the link to change your password if you forget it.',
  'verify.confirm.submit': 'Confirm my e-mail address',
  'verify.done.title': 'E-mail address verified',
  'verify.done.body': 'Thank you! {address} is verified.',
  'verify.toPortal': 'Go to my customer area',
  'verify.used.title': 'Link already used',
  'verify.used.body':
    'This verification link has already been used. If your address is not shown as verified in Profile, ask for a new link there.',
  'verify.expired.title': 'Link expired',
  'verify.expired.body':
    'This verification link has expired (it is valid for 48 hours). Log in to your customer area: in Profile you can ask for a new link.',
  'verify.unknown.title': 'Link not valid',
  'verify.unknown.body': 'This verification link is not valid. Check that it was copied in full, or ask for a new link from Profile.',
  'verify.stale.title': 'Address changed',
  'verify.stale.body': 'This e-mail address is no longer registered in your customer area: this link cannot be used any more.',

  'profileEmails.title': 'E-mail addresses',
  'profileEmails.intro':
    'Only verified addresses receive the e-mails of your customer area (new documents, password link).',
  'profileEmails.verified': 'verified',
  'profileEmails.pending': 'awaiting verification',
  'profileEmails.resend': 'Send the verification link to {address} again',
  'profileEmails.change': 'Change my e-mail addresses',
  'profileEmails.pendingTitle': 'Verify your e-mail address',
  'profileEmails.pendingWhy':
    'Until an address is verified, it does not receive your documents, and direct debit cannot be signed online (the signing code is sent there).',
  'profileEmails.sentTo': 'A verification link has been sent to {address}; it is valid for 48 hours. Not received, or expired?',
  'profileEmails.resent': 'A new verification link has just been sent. It is valid for 48 hours.',
  'profileEmails.wait':
    'A link was sent to this address less than 5 minutes ago. Check your inbox (and spam folder) or try again in a few minutes.',
  'profileEmails.alreadyVerified': 'This address is already verified.',
  'profileEmails.changed': 'Your e-mail addresses are saved. Each new address has been sent a verification link, valid for 48 hours.',
  'profileEmails.unchanged': 'Your e-mail addresses have not changed.',

  'emailChange.title': 'Change my e-mail addresses',
  'emailChange.intro':
    'Your e-mail addresses receive your documents and, if you forget it, the link to change your password. For your security, confirm your current password. Each new address will be sent a verification link.',
  'emailChange.password': 'CURRENT PASSWORD',
  'emailChange.submit': 'Save my addresses',
  'emailChange.cancel': 'Cancel and go back to the profile',
  'emailChange.error.passwordRequired': 'Enter your current password.',
  'emailChange.error.passwordWrong': 'Incorrect password.',
  'emailChange.error.throttled': 'Too many attempts. For your security, try again in {minutes} minute(s).',

  'activate.later': 'Not now? You can finish later with the same temporary password, while it is valid.',

  'passwordChange.section': 'Password',
  'passwordChange.sectionIntro':
    'You can change your password at any time. Your sessions open on other devices or browsers will then be closed.',
  'passwordChange.title': 'Change my password',
  'passwordChange.intro':
    'For your security, first enter your current password. Once the new one is saved, your sessions open on other devices or browsers will be closed and an e-mail will confirm the change.',
  'passwordChange.error.same': 'The new password must be different from the current one.',
  'passwordChange.done': 'Your password has been changed. Your sessions open elsewhere have been closed.',

  'authMail.ifNotYou': 'If this was not you, contact customer service straight away on {phone} ({email}).',
  'authMail.verify.subject': 'Verify your e-mail address',
  'authMail.verify.p1': 'You gave the address {address} for your {operator} customer area.',
  'authMail.verify.p2': 'To confirm it, open the link below and click “Confirm my e-mail address”.',
  'authMail.verify.action': 'Verify my e-mail address',
  'authMail.verify.note':
    'This link is valid for 48 hours and works once. If you did not ask for it, ignore this e-mail: the address will not be verified.',
  'authMail.emailChanged.subject': 'The e-mail addresses of your customer area have been changed',
  'authMail.emailChanged.p1': 'The e-mail addresses of your customer area (customer no. {number}) were changed on {date}. They are now:',
  'authMail.emailChanged.primary': 'Main address: {address}',
  'authMail.emailChanged.secondary': 'Secondary address: {address}',
  'authMail.emailChanged.none': 'none',
  'authMail.emailChanged.p2': 'If you made this change, there is nothing to do.',
  'authMail.reset.subject': 'Choose a new password',
  'authMail.reset.p1': 'A new password was requested for your customer area (customer no. {number}).',
  'authMail.reset.p2': 'To choose it, open the link below.',
  'authMail.reset.action': 'Choose a new password',
  'authMail.reset.note':
    'This link is valid for 1 hour and works once. If you did not ask for anything, ignore this e-mail: your current password remains valid.',
  'authMail.passwordChanged.subject': 'Your password has been changed',
  'authMail.passwordChanged.p1':
    'The password of your customer area (customer no. {number}) was changed on {date}. For your security, all open sessions have been closed.',
  'authMail.passwordChanged.action': 'Log in',
  'authMail.paperlessOn.subject': 'Confirmation: your documents by e-mail',
  'authMail.paperlessOn.p1': 'On {date} you agreed to receive your documents by e-mail. What changes:',
  'authMail.paperlessOn.l1': 'your invoices and credit notes are available in your customer area, with 5 years of history;',
  'authMail.paperlessOn.l2': 'you are told by e-mail whenever a new document is available;',
  'authMail.paperlessOn.l3': 'you no longer receive your documents by post.',
  'authMail.paperlessOn.p2': 'You can go back to paper at any time, free of charge, from the Profile page of your customer area.',
  'authMail.paperlessOff.subject': 'Confirmation: back to paper documents',
  'authMail.paperlessOff.p1': 'On {date} you chose to stop receiving your documents by e-mail. What changes:',
  'authMail.paperlessOff.l1': 'your next documents will be sent to you by post, free of charge;',
  'authMail.paperlessOff.l2': 'in your customer area, the history of your documents is limited to the last 12 months;',
  'authMail.paperlessOff.l3': 'you are no longer told by e-mail about new documents.',
  'authMail.paperlessOff.p2': 'You can choose documents by e-mail again at any time from the Profile page of your customer area.',
  'authMail.toProfile': 'Go to my profile',
};
