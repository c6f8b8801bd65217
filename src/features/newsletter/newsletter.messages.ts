/* Words of the newsletter pages and e-mails. */
export const newsletterFr = {
  'newsletter.title': 'Newsletter',
  'newsletter.intro':
    'Recevez par e-mail les actualités de nos parkings : travaux, horaires, nouveaux services et offres réservées aux abonnés. Vous pouvez vous désabonner à tout moment, en un clic, depuis chaque e-mail.',
  'newsletter.subscribe.title': 'S’inscrire',
  'newsletter.email': 'Adresse e-mail',
  'newsletter.email.hint':
    'Vous recevrez un e-mail pour confirmer votre inscription : elle n’est effective qu’après cette confirmation.',
  'newsletter.language': 'La newsletter vous sera envoyée en français, la langue de cette page.',
  'newsletter.privacy':
    'Votre adresse sert uniquement à vous envoyer la newsletter ; elle n’est jamais cédée. En savoir plus : ',
  'newsletter.privacy.link': 'politique de confidentialité',
  'newsletter.subscribe.submit': 'S’inscrire à la newsletter',
  'newsletter.subscribe.done':
    'Merci ! Si cette adresse n’est pas déjà abonnée, elle va recevoir un e-mail pour confirmer l’inscription. Le lien qu’il contient est valable 48 heures.',
  'newsletter.unsubscribe.title': 'Se désabonner',
  'newsletter.unsubscribe.intro':
    'Chaque newsletter contient un lien de désabonnement en un clic. Vous pouvez aussi indiquer votre adresse : nous vous enverrons un lien de désabonnement.',
  'newsletter.unsubscribe.email': 'Adresse e-mail abonnée',
  'newsletter.unsubscribe.request': 'Recevoir un lien de désabonnement',
  'newsletter.unsubscribe.requested':
    'Si cette adresse est abonnée à la newsletter, elle va recevoir un e-mail contenant un lien de désabonnement.',
  'newsletter.error.required': 'Saisissez votre adresse e-mail.',

  'newsletter.confirm.title': 'Confirmer votre inscription',
  'newsletter.confirm.text': 'Confirmez l’inscription de l’adresse {email} à la newsletter.',
  'newsletter.confirm.submit': 'Confirmer mon inscription',
  'newsletter.confirmed.title': 'Inscription confirmée',
  'newsletter.confirmed.text':
    'Merci, votre inscription à la newsletter est confirmée. Chaque e-mail contiendra un lien pour vous désabonner en un clic.',
  'newsletter.confirm.invalid.title': 'Lien non valable',
  'newsletter.confirm.invalid':
    'Ce lien de confirmation n’est pas valable : il a déjà servi, ou il a expiré (il est valable 48 heures). Vous pouvez recommencer votre inscription.',

  'newsletter.unsubscribe.page.title': 'Se désabonner de la newsletter',
  'newsletter.unsubscribe.page.text': 'L’adresse {email} ne recevra plus la newsletter.',
  'newsletter.unsubscribe.submit': 'Me désabonner',
  'newsletter.unsubscribed.title': 'Vous êtes désabonné',
  'newsletter.unsubscribed.text': 'Vous ne recevrez plus la newsletter. Vous pouvez vous réinscrire à tout moment.',
  'newsletter.unsubscribe.invalid.title': 'Lien non valable',
  'newsletter.unsubscribe.invalid':
    'Ce lien de désabonnement n’est plus valable : seul le lien du dernier e-mail reçu fonctionne. Utilisez-le, ou demandez un nouveau lien.',
  'newsletter.back': 'Retour à la page Newsletter',
  'newsletter.resubscribe': 'Se réinscrire',

  'newsletter.mail.confirm.subject': 'Confirmez votre inscription à la newsletter {operator}',
  'newsletter.mail.confirm.intro': 'Vous avez demandé à recevoir la newsletter de {operator} à l’adresse {email}.',
  'newsletter.mail.confirm.ask': 'Pour confirmer votre inscription, ouvrez le lien ci-dessous. Il est valable 48 heures.',
  'newsletter.mail.confirm.action': 'Confirmer mon inscription',
  'newsletter.mail.confirm.note':
    'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : vous ne serez pas inscrit. Pour ne plus recevoir d’e-mail de notre part à ce sujet : {url}',
  'newsletter.mail.link.subject': 'Votre lien de désabonnement de la newsletter {operator}',
  'newsletter.mail.link.intro': 'Vous avez demandé à vous désabonner de notre newsletter. Ouvrez le lien ci-dessous et confirmez.',
  'newsletter.mail.link.action': 'Me désabonner',
  'newsletter.mail.link.note': 'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : vous restez abonné.',
  'newsletter.mail.issue.footer': 'Vous recevez cet e-mail parce que vous êtes abonné à la newsletter de {operator}.',
  'newsletter.mail.issue.unsubscribe': 'Se désabonner en un clic',
} as const;

export const newsletterEn: Record<keyof typeof newsletterFr, string> = {
  'newsletter.title': 'Newsletter',
  'newsletter.intro':
    'Get our car parks’ news by e-mail: works, opening hours, new services and offers for subscribers. You can unsubscribe at any time, in one click, from every e-mail.',
  'newsletter.subscribe.title': 'Subscribe',
  'newsletter.email': 'E-mail address',
  'newsletter.email.hint': 'You will receive an e-mail to confirm your subscription: it only starts once confirmed.',
  'newsletter.language': 'The newsletter will be sent to you in English, the language of this page.',
  'newsletter.privacy': 'Your address is only used to send you the newsletter; it is never passed on. Learn more: ',
  'newsletter.privacy.link': 'privacy policy',
  'newsletter.subscribe.submit': 'Subscribe to the newsletter',
  'newsletter.subscribe.done':
    'Thank you! If this address is not subscribed yet, it will receive an e-mail to confirm the subscription. The link in it is valid for 48 hours.',
  'newsletter.unsubscribe.title': 'Unsubscribe',
  'newsletter.unsubscribe.intro':
    'Every newsletter has a one-click unsubscribe link. You can also enter your address: we will send you an unsubscribe link.',
  'newsletter.unsubscribe.email': 'Subscribed e-mail address',
  'newsletter.unsubscribe.request': 'Send me an unsubscribe link',
  'newsletter.unsubscribe.requested': 'If this address is subscribed to the newsletter, it will receive an e-mail with an unsubscribe link.',
  'newsletter.error.required': 'Enter your e-mail address.',

  'newsletter.confirm.title': 'Confirm your subscription',
  'newsletter.confirm.text': 'Confirm the subscription of {email} to the newsletter.',
  'newsletter.confirm.submit': 'Confirm my subscription',
  'newsletter.confirmed.title': 'Subscription confirmed',
  'newsletter.confirmed.text': 'Thank you, your subscription is confirmed. Every e-mail will include a link to unsubscribe in one click.',
  'newsletter.confirm.invalid.title': 'Invalid link',
  'newsletter.confirm.invalid':
    'This confirmation link is not valid: it has already been used, or it has expired (it is valid for 48 hours). You can subscribe again.',

  'newsletter.unsubscribe.page.title': 'Unsubscribe from the newsletter',
  'newsletter.unsubscribe.page.text': 'The address {email} will no longer receive the newsletter.',
  'newsletter.unsubscribe.submit': 'Unsubscribe',
  'newsletter.unsubscribed.title': 'You are unsubscribed',
  'newsletter.unsubscribed.text': 'You will no longer receive the newsletter. You can subscribe again at any time.',
  'newsletter.unsubscribe.invalid.title': 'Invalid link',
  'newsletter.unsubscribe.invalid':
    'This unsubscribe link is not valid (it may have been copied incompletely). Use the link in an e-mail you received, or ask for a new link below.',
  'newsletter.back': 'Back to the Newsletter page',
  'newsletter.resubscribe': 'Subscribe again',

  'newsletter.mail.confirm.subject': 'Confirm your subscription to the {operator} newsletter',
  'newsletter.mail.confirm.intro': 'You asked to receive the {operator} newsletter at {email}.',
  'newsletter.mail.confirm.ask': 'To confirm your subscription, open the link below. It is valid for 48 hours.',
  'newsletter.mail.confirm.action': 'Confirm my subscription',
  'newsletter.mail.confirm.note':
    'If you did not ask for this, ignore this e-mail: you will not be subscribed. To receive no more e-mails from us about it: {url}',
  'newsletter.mail.link.subject': 'Your link to unsubscribe from the {operator} newsletter',
  'newsletter.mail.link.intro': 'You asked to unsubscribe from our newsletter. Open the link below and confirm.',
  'newsletter.mail.link.action': 'Unsubscribe',
  'newsletter.mail.link.note': 'If you did not ask for this, ignore this e-mail: you stay subscribed.',
  'newsletter.mail.issue.footer': 'You receive this e-mail because you subscribed to the {operator} newsletter.',
  'newsletter.mail.issue.unsubscribe': 'Unsubscribe in one click',
};
