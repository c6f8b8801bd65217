/*
 * Words of the renewal notices (loi Chatel): the customer's e-mail, in both languages, and the
 * back office's list "Renouvellements" (French like the back office). Placeholders are {name}.
 */
export const renewalsFr = {
  'renewals.mail.subject': 'Contrat {number} : reconduction le {renewal}, vous pouvez la refuser',
  'renewals.mail.renewal': 'Votre contrat {number} (parking {carPark}) sera reconduit tacitement le {renewal} pour une nouvelle période, aux mêmes conditions.',
  'renewals.mail.right':
    'Vous pouvez refuser cette reconduction, sans frais ni justification, jusqu’au {deadline} inclus (article L215-1 du Code de la consommation). Sans démarche de votre part, votre contrat continue.',
  'renewals.mail.how': 'Pour refuser la reconduction, utilisez la fonction « Résilier votre contrat » :',
  'renewals.mail.loggedIn': 'connecté à votre espace, depuis Contrats : {url}',
  'renewals.mail.public': 'sans vous connecter : {url}',
  'renewals.mail.late':
    'Cet avis vous parvient moins d’un mois avant cette date : vous pourrez aussi mettre fin gratuitement à votre contrat à tout moment à compter de sa reconduction (article L215-1 du Code de la consommation).',
  'renewals.mail.action': 'Résilier votre contrat',
  'renewals.mail.note': 'Vous recevez cet e-mail parce que la loi nous oblige à vous informer de votre droit de ne pas reconduire votre contrat.',
  'renewals.bo.nav': 'Renouvellements',
  'renewals.bo.title': 'Avis de renouvellement envoyés (loi Chatel)',
  'renewals.bo.intro':
    'Les avis envoyés aux particuliers dont le contrat est reconduit tacitement, de trois mois à un mois avant la date limite de refus (article L215-1). Un avis « en retard » ouvre au client le droit de résilier gratuitement à tout moment après la reconduction. Un client sans adresse e-mail vérifiée reçoit l’avis par courrier, à envoyer par le service client.',
  'renewals.bo.filters': 'Filtrer les avis',
  'renewals.bo.filter.month': 'Mois d’envoi',
  'renewals.bo.filter.all': 'Tous',
  'renewals.bo.filter.apply': 'Filtrer',
  'renewals.bo.filter.reset': 'Tout afficher',
  'renewals.bo.empty': 'Aucun avis ne correspond.',
  'renewals.bo.caption': 'Avis envoyés, les plus récents d’abord : {count}',
  'renewals.bo.page': 'Page {page} sur {pages} ({total} avis)',
  'renewals.bo.col.contract': 'Contrat',
  'renewals.bo.col.customer': 'Client',
  'renewals.bo.col.deadline': 'Date limite de refus',
  'renewals.bo.col.renewal': 'Reconduction',
  'renewals.bo.col.sent': 'Envoyé le',
  'renewals.bo.col.channel': 'Par',
  'renewals.bo.col.timing': 'Délai',
  'renewals.bo.channel.email': 'E-mail',
  'renewals.bo.channel.letter': 'Courrier à envoyer',
  'renewals.bo.onTime': 'Dans les délais',
  'renewals.bo.late': 'En retard',
};

export const renewalsEn: Record<keyof typeof renewalsFr, string> = {
  'renewals.mail.subject': 'Contract {number}: renewed on {renewal}, you may refuse',
  'renewals.mail.renewal': 'Your contract {number} (car park {carPark}) will be renewed tacitly on {renewal} for a new term, on the same terms.',
  'renewals.mail.right':
    'You may refuse this renewal, free of charge and without giving a reason, until {deadline} included (article L215-1 of the French Consumer Code). If you do nothing, your contract continues.',
  'renewals.mail.how': 'To refuse the renewal, use the “Terminate your contract” function:',
  'renewals.mail.loggedIn': 'logged in to your account, from Contracts: {url}',
  'renewals.mail.public': 'without logging in: {url}',
  'renewals.mail.late':
    'This notice reaches you less than a month before that date: you may also end your contract free of charge at any time once it has been renewed (article L215-1 of the French Consumer Code).',
  'renewals.mail.action': 'Terminate your contract',
  'renewals.mail.note': 'You are receiving this e-mail because the law requires us to tell you of your right not to renew your contract.',
  'renewals.bo.nav': 'Renewals',
  'renewals.bo.title': 'Renewal notices sent (loi Chatel)',
  'renewals.bo.intro':
    'The notices sent to consumers whose contract is renewed tacitly, three months to one month before the deadline to refuse (article L215-1). A late notice gives the customer the right to terminate free of charge at any time after the renewal. A customer without a verified e-mail address gets the notice by letter, to be posted by customer service.',
  'renewals.bo.filters': 'Filter the notices',
  'renewals.bo.filter.month': 'Month sent',
  'renewals.bo.filter.all': 'All',
  'renewals.bo.filter.apply': 'Filter',
  'renewals.bo.filter.reset': 'Show all',
  'renewals.bo.empty': 'No notice matches.',
  'renewals.bo.caption': 'Notices sent, latest first: {count}',
  'renewals.bo.page': 'Page {page} of {pages} ({total} notices)',
  'renewals.bo.col.contract': 'Contract',
  'renewals.bo.col.customer': 'Customer',
  'renewals.bo.col.deadline': 'Deadline to refuse',
  'renewals.bo.col.renewal': 'Renewal',
  'renewals.bo.col.sent': 'Sent on',
  'renewals.bo.col.channel': 'By',
  'renewals.bo.col.timing': 'Timing',
  'renewals.bo.channel.email': 'E-mail',
  'renewals.bo.channel.letter': 'Letter to post',
  'renewals.bo.onTime': 'On time',
  'renewals.bo.late': 'Late',
};
