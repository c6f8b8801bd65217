/*
 * Words of the direct-debit pages, e-mails and PDFs. French is the reference; English is typed
 * on its keys. `lib/i18n.ts` merges them into the portal's catalogue, read through
 * `translator(lang)` like every other feature's. Placeholders are {name}.
 */
export const directDebitFr = {
  'directDebit.footer': 'Demande de prélèvement',
  'directDebit.title': 'Prélèvement automatique',
  'directDebit.intro':
    'Pour régler vos factures sans avoir à y penser et toujours dans les temps, souscrivez au prélèvement automatique SEPA.',
  // without a mandate signed here, when contracts are already paid by direct debit (a paper mandate)
  'directDebit.intro.all':
    'Vos contrats en cours sont déjà réglés par prélèvement automatique. Pour changer de compte bancaire, signez un nouveau mandat avec votre nouvel IBAN.',
  'directDebit.intro.some':
    'Contrats déjà réglés par prélèvement automatique : {contracts}. Pour régler aussi les autres sans avoir à y penser et toujours dans les temps, souscrivez au prélèvement automatique SEPA.',

  // the summary shown on Contrats and Mon compte
  'directDebit.summary.mandate': 'Mandat de prélèvement SEPA {rum} : {status}.',
  'directDebit.summary.account': 'Compte débité :',
  'directDebit.summary.contracts': 'Contrats concernés : {contracts}.',
  'directDebit.summary.link': 'Voir mon mandat de prélèvement',
  'directDebit.summary.start': 'Demander le prélèvement automatique',
  'directDebit.summary.page': 'Voir la page Prélèvement automatique',

  // states
  'directDebit.status.awaiting_signature': 'En attente de votre signature',
  'directDebit.status.to_validate': 'Signé, en cours de validation par le service client',
  'directDebit.status.active': 'Actif',
  'directDebit.status.rejected': 'Refusé par le service client',
  'directDebit.status.revoked': 'Révoqué',

  // the current mandate
  'directDebit.current.title': 'Votre mandat',
  'directDebit.field.status': 'État',
  'directDebit.field.rum': 'Référence unique du mandat (RUM)',
  'directDebit.field.holder': 'Titulaire du compte',
  'directDebit.field.address': 'Adresse du titulaire',
  'directDebit.field.iban': 'IBAN',
  'directDebit.field.bic': 'BIC',
  'directDebit.field.contracts': 'Contrats réglés par prélèvement',
  'directDebit.field.signed': 'Date de signature',
  'directDebit.field.place': 'Lieu de signature',
  'directDebit.field.paymentType': 'Type de paiement',
  'directDebit.none': 'Non communiqué',
  'directDebit.signedValue': '{date}, à {place}',
  'directDebit.iban.spoken': 'IBAN {country} se terminant par {last4}',
  'directDebit.contract': 'Contrat n° {number} — {carPark}',
  'directDebit.pdf': 'Télécharger le mandat signé (PDF)',
  'directDebit.pdf.label': 'Télécharger le mandat signé {rum} (PDF)',
  'directDebit.toValidate.note':
    'Le service client vérifie votre mandat. Vous recevrez un e-mail dès qu’il sera actif ; d’ici là, réglez vos factures comme d’habitude.',
  'directDebit.active.note': 'Vos factures des contrats ci-dessus sont réglées par prélèvement sur ce compte.',
  'directDebit.revoke': 'Révoquer ce mandat',
  'directDebit.change':
    'Pour changer de compte bancaire, révoquez ce mandat puis signez-en un nouveau avec votre nouvel IBAN.',

  // ended mandates, drafts, notices
  'directDebit.rejected.title': 'Votre dernier mandat a été refusé',
  'directDebit.rejected.text': 'Le service client a refusé le mandat {rum} : {reason}',
  'directDebit.revoked.title': 'Votre dernier mandat est révoqué',
  'directDebit.revoked.text': 'Le mandat {rum} est révoqué depuis le {date}.',
  'directDebit.draft.title': 'Un mandat attend votre signature',
  'directDebit.draft.text': 'Vous avez rempli le mandat {rum} sans le signer.',
  'directDebit.draft.continue': 'Terminer la signature du mandat {rum}',
  'directDebit.notice.signed':
    'Votre mandat est signé. Le service client va le vérifier ; vous recevrez un e-mail dès qu’il sera actif.',
  'directDebit.notice.revoked': 'Votre mandat est révoqué. Vos prochaines factures seront à régler par un autre moyen.',
  'directDebit.notice.alreadyRevoked': 'Ce mandat n’est plus en vigueur : il n’y a rien à révoquer.',
  'directDebit.notice.alreadySigned': 'Ce mandat est déjà signé.',

  // the two routes
  'directDebit.online.title': 'Signer en ligne',
  'directDebit.online.text':
    'Remplissez le mandat avec l’IBAN du compte à débiter, puis signez-le avec un code à usage unique envoyé à votre adresse e-mail vérifiée ({address}).',
  'directDebit.online.start': 'Remplir le mandat en ligne',
  'directDebit.online.noEmail':
    'Pour signer le mandat en ligne, il faut une adresse e-mail principale vérifiée : le code de signature y est envoyé.',
  'directDebit.online.afterVerification':
    'Le formulaire en ligne sera disponible dès que votre adresse e-mail principale sera vérifiée (voir en haut de la page). Vous pouvez aussi signer par courrier.',
  'directDebit.online.noEmail.link': 'Vérifier mon adresse e-mail dans mon profil',
  'directDebit.online.noContracts': 'Vous n’avez aucun contrat en cours à régler par prélèvement.',
  'directDebit.paper.title': 'Par courrier',
  'directDebit.paper.text':
    'Vous préférez le papier ? Téléchargez le formulaire pré-rempli à votre nom, complétez-le, datez-le, signez-le et envoyez-le avec un relevé d’identité bancaire (RIB) à : {address}.',
  'directDebit.paper.link': 'Télécharger le formulaire de mandat (PDF)',
  'directDebit.already': 'Vous avez déjà un mandat en vigueur. Pour en signer un autre, révoquez d’abord celui-ci.',

  // the form
  'directDebit.form.title': 'Mandat de prélèvement SEPA',
  'directDebit.form.intro':
    'Tous les champs sont obligatoires, sauf le BIC. Vous signerez ensuite ce mandat avec un code envoyé par e-mail.',
  'directDebit.form.required': '(obligatoire)',
  'directDebit.form.optional': '(facultatif)',
  'directDebit.form.debtor': 'Le titulaire du compte à débiter',
  'directDebit.form.holder': 'Nom du titulaire du compte',
  'directDebit.form.holder.hint': 'Tel qu’il figure sur votre relevé d’identité bancaire (RIB).',
  'directDebit.form.street': 'Adresse',
  'directDebit.form.postalCode': 'Code postal',
  'directDebit.form.city': 'Ville',
  'directDebit.form.country': 'Pays',
  'directDebit.form.account': 'Le compte à débiter',
  'directDebit.form.iban': 'IBAN',
  'directDebit.form.iban.hint': 'Il figure sur votre RIB. Par exemple FR76 3000 6000 0112 3456 7890 189 (27 caractères en France) ; les espaces sont acceptés.',
  'directDebit.form.bic': 'BIC',
  'directDebit.form.bic.hint': '8 ou 11 caractères, par exemple BNPAFRPP.',
  'directDebit.form.contracts': 'Contrats à régler par prélèvement',
  'directDebit.form.contracts.hint': 'Cochez au moins un contrat.',
  'directDebit.form.place': 'Lieu de signature',
  'directDebit.form.place.hint': 'La ville où vous signez ce mandat.',
  'directDebit.form.text': 'Texte du mandat',
  'directDebit.form.submit': 'Continuer : recevoir le code de signature',
  'directDebit.form.cancel': 'Annuler',
  'directDebit.form.errorSummary': 'Le formulaire contient {count} erreur(s) :',

  // the mandate's text
  'directDebit.text.title': 'Mandat de prélèvement SEPA',
  'directDebit.text.creditor': 'Créancier',
  'directDebit.text.creditorName': 'Nom',
  'directDebit.text.creditorAddress': 'Adresse',
  'directDebit.text.ics': 'Identifiant créancier SEPA (ICS)',
  'directDebit.text.rum': 'Référence unique du mandat (RUM)',
  'directDebit.text.paymentType': 'Type de paiement',
  'directDebit.text.recurrent': 'Paiement récurrent (répétitif)',
  'directDebit.text.authorisation':
    'En signant ce formulaire de mandat, vous autorisez (A) {creditor} à envoyer des instructions à votre banque pour débiter votre compte, et (B) votre banque à débiter votre compte conformément aux instructions de {creditor}. Vous bénéficiez du droit d’être remboursé par votre banque selon les conditions décrites dans la convention que vous avez passée avec elle. Une demande de remboursement doit être présentée dans les 8 semaines suivant la date de débit de votre compte pour un prélèvement autorisé, et sans tarder et au plus tard dans les 13 mois en cas de prélèvement non autorisé.',
  'directDebit.text.rights':
    'Vos droits concernant le présent mandat sont expliqués dans un document que vous pouvez obtenir auprès de votre banque.',
  'directDebit.text.privacy':
    'Les informations de ce mandat servent uniquement à la gestion de vos prélèvements par {creditor}. Votre IBAN est conservé chiffré.',

  // field errors
  'directDebit.error.holder.required': 'Saisissez le nom du titulaire du compte.',
  'directDebit.error.holder.tooLong': 'Le nom du titulaire ne peut pas dépasser {max} caractères.',
  'directDebit.error.street.required': 'Saisissez l’adresse du titulaire.',
  'directDebit.error.postalCode.required': 'Saisissez le code postal.',
  'directDebit.error.city.required': 'Saisissez la ville.',
  'directDebit.error.country.required': 'Saisissez le pays.',
  'directDebit.error.tooLong': 'Ce champ ne peut pas dépasser {max} caractères.',
  'directDebit.error.iban.required': 'Saisissez l’IBAN du compte à débiter.',
  'directDebit.error.iban.characters': 'Un IBAN ne contient que des lettres et des chiffres (les espaces sont acceptés).',
  'directDebit.error.iban.country':
    '« {country} » n’est pas un code pays d’IBAN reconnu : un IBAN commence par le code de son pays, par exemple FR pour la France.',
  'directDebit.error.iban.notSepa':
    'Le prélèvement SEPA n’est possible que sur un compte d’un pays de la zone SEPA ; le pays de cet IBAN ({countryName}, {country}) n’en fait pas partie.',
  'directDebit.error.iban.length':
    'Un IBAN de ce pays ({countryName}, {country}) compte {expected} caractères ; vous en avez saisi {actual}. Vérifiez-le sur votre RIB.',
  'directDebit.error.iban.format':
    'Cet IBAN ne correspond pas au format des IBAN de ce pays ({countryName}, {country}) : vérifiez-le sur votre RIB.',
  'directDebit.error.iban.checksum':
    'La clé de contrôle de cet IBAN est fausse : une erreur de saisie s’est sans doute glissée. Vérifiez-le sur votre RIB.',
  'directDebit.error.bic.invalid': 'Ce BIC n’est pas valide : il compte 8 ou 11 caractères, par exemple BNPAFRPP. Vous pouvez aussi le laisser vide.',
  'directDebit.error.contracts.required': 'Cochez au moins un contrat à régler par prélèvement.',
  'directDebit.error.contracts.notYours': 'Ce choix ne fait pas partie de vos contrats en cours. Cochez parmi la liste.',
  'directDebit.error.place.required': 'Saisissez la ville où vous signez.',
  'directDebit.error.tooManyCodes':
    'Trop de codes de signature ont été envoyés aujourd’hui. Réessayez demain ou utilisez le formulaire papier.',

  // signing
  'directDebit.sign.title': 'Signer le mandat',
  'directDebit.sign.intro': 'Vérifiez le mandat ci-dessous, puis signez-le avec le code reçu par e-mail.',
  'directDebit.sign.sent': 'Un code à 6 chiffres a été envoyé à {address} le {date}. Il est valable 10 minutes, jusqu’à {time}.',
  'directDebit.sign.step': 'Signature par code à usage unique',
  'directDebit.sign.code': 'Code de signature',
  'directDebit.sign.code.hint': 'Les 6 chiffres reçus par e-mail.',
  'directDebit.sign.consent':
    'En saisissant ce code et en cliquant sur « Signer le mandat », vous signez électroniquement ce mandat de prélèvement SEPA, à {place}.',
  'directDebit.sign.submit': 'Signer le mandat',
  'directDebit.sign.resend': 'Renvoyer un code',
  'directDebit.sign.resend.hint': 'Pas reçu, expiré ou trop d’essais ? Demandez un nouveau code (un par minute au plus). Le précédent ne sera plus valable.',
  'directDebit.sign.error.required': 'Saisissez le code à 6 chiffres reçu par e-mail.',
  'directDebit.sign.error.format': 'Le code compte exactement 6 chiffres.',
  'directDebit.sign.error.wrong': 'Ce code est incorrect. Il vous reste {remaining} essai(s).',
  'directDebit.sign.error.lastTry': 'Ce code est incorrect, et c’était le dernier essai : demandez un nouveau code avec le bouton « Renvoyer un code ».',
  'directDebit.sign.error.dead':
    'Ce code n’est plus valable (expiré, ou 5 essais incorrects). Demandez un nouveau code avec le bouton « Renvoyer un code ».',
  'directDebit.sign.error.noCode': 'Aucun code valable n’a été envoyé pour ce mandat. Demandez un code avec le bouton « Renvoyer un code ».',
  'directDebit.sign.resent': 'Un nouveau code a été envoyé à {address}. Le précédent n’est plus valable.',
  'directDebit.sign.tooSoon': 'Un code vient d’être envoyé. Vous pourrez en demander un autre dans {seconds} seconde(s).',

  // revocation
  'directDebit.revoke.title': 'Révoquer le mandat {rum}',
  'directDebit.revoke.text':
    'Après la révocation, plus aucun prélèvement ne sera présenté sur ce compte au titre de ce mandat. Vos prochaines factures seront à régler par un autre moyen, ou par un nouveau mandat.',
  'directDebit.revoke.confirm': 'Oui, révoquer ce mandat',
  'directDebit.revoke.back': 'Non, revenir à mon mandat',

  // e-mails
  'directDebit.mail.code.subject': 'Votre code de signature du mandat de prélèvement',
  'directDebit.mail.code.p1': 'Voici votre code pour signer le mandat de prélèvement SEPA {rum} : {code}',
  'directDebit.mail.code.p2': 'Il est valable 10 minutes et ne sert qu’une fois.',
  'directDebit.mail.code.note':
    'Si vous n’êtes pas à l’origine de cette demande, ne communiquez ce code à personne et prévenez le service client ({phone}, {email}).',
  'directDebit.mail.signed.subject': 'Votre mandat de prélèvement {rum} est signé',
  'directDebit.mail.signed.p1':
    'Vous avez signé le {date} le mandat de prélèvement SEPA {rum} au profit de {creditor}. Le service client va le vérifier ; vous serez prévenu dès qu’il sera actif.',
  'directDebit.mail.signed.p2': 'Vous pouvez télécharger le mandat signé depuis votre espace client.',
  'directDebit.mail.action': 'Voir mon mandat',
  'directDebit.mail.ifNotYou': 'Si vous n’êtes pas à l’origine de cette opération, contactez sans tarder le service client ({phone}, {email}).',
  'directDebit.mail.iban': 'Compte : {iban}',
  'directDebit.mail.rum': 'RUM : {rum}',
  'directDebit.mail.contracts': 'Contrats : {contracts}',
  'directDebit.mail.revoked.subject': 'Votre mandat de prélèvement {rum} est révoqué',
  'directDebit.mail.revoked.p1':
    'Vous avez révoqué le {date} le mandat de prélèvement SEPA {rum}. Plus aucun prélèvement ne sera présenté à ce titre ; vos prochaines factures seront à régler par un autre moyen.',
  'directDebit.mail.validated.subject': 'Votre mandat de prélèvement {rum} est actif',
  'directDebit.mail.validated.p1':
    'Le service client a validé le mandat de prélèvement SEPA {rum}. Les factures des contrats ci-dessous seront désormais réglées par prélèvement sur votre compte.',
  'directDebit.mail.validated.p2':
    'Le montant et la date de chaque prélèvement figurent sur la facture correspondante, qui vous parvient avant le prélèvement.',
  'directDebit.mail.rejected.subject': 'Votre mandat de prélèvement {rum} n’a pas pu être accepté',
  'directDebit.mail.rejected.p1': 'Le service client n’a pas pu accepter le mandat de prélèvement SEPA {rum}, pour la raison suivante : {reason}',
  'directDebit.mail.rejected.p2':
    'Vous pouvez signer un nouveau mandat depuis votre espace client, ou nous contacter. D’ici là, réglez vos factures comme d’habitude.',

  // PDFs
  'directDebit.pdf.debtor': 'Débiteur',
  'directDebit.pdf.debtorName': 'Nom du titulaire du compte',
  'directDebit.pdf.debtorAddress': 'Adresse',
  'directDebit.pdf.iban': 'IBAN (numéro international d’identification bancaire)',
  'directDebit.pdf.bic': 'BIC (code international d’identification de votre banque)',
  'directDebit.pdf.contracts': 'Contrats concernés',
  'directDebit.pdf.signature': 'Signature',
  'directDebit.pdf.signedAt': 'Signé à {place}, le {date} à {time} (heure de Paris).',
  'directDebit.pdf.evidence':
    'Signature électronique : code à usage unique envoyé le {sentAt} à {address}, saisi le {confirmedAt} depuis l’adresse IP {ip}.',
  'directDebit.pdf.status': 'Mandat signé en ligne sur l’espace client ; il prend effet après validation par le service client.',
  'directDebit.pdf.customer': 'N° client : {number}',
  'directDebit.pdf.page': 'Page {page}/{pages}',
  'directDebit.paper.place': 'Fait à',
  'directDebit.paper.date': 'Le',
  'directDebit.paper.signature': 'Signature du titulaire du compte',
  'directDebit.paper.ibanHint': '27 caractères pour un compte en France ; jusqu’à 34 ailleurs.',
  'directDebit.paper.bicHint': '8 ou 11 caractères (facultatif).',
  'directDebit.paper.contractsHint': 'Cochez les contrats à régler par prélèvement.',
  'directDebit.paper.return':
    'À renvoyer daté et signé, accompagné d’un relevé d’identité bancaire (RIB), à : {name}, Service client, {address}.',
  'directDebit.paper.validation': 'Le mandat prend effet après vérification par le service client, qui vous en informera.',
} as const;

export type DirectDebitKey = keyof typeof directDebitFr;

export const directDebitEn: Record<DirectDebitKey, string> = {
  'directDebit.footer': 'Direct debit request',
  'directDebit.title': 'Direct debit',
  'directDebit.intro': 'To pay your invoices on time without thinking about it, sign up for SEPA direct debit.',
  'directDebit.intro.all':
    'Your current contracts are already paid by direct debit. To change bank accounts, sign a new mandate with your new IBAN.',
  'directDebit.intro.some':
    'Contracts already paid by direct debit: {contracts}. To pay the others on time without thinking about it too, sign up for SEPA direct debit.',

  'directDebit.summary.mandate': 'SEPA direct debit mandate {rum}: {status}.',
  'directDebit.summary.account': 'Account debited:',
  'directDebit.summary.contracts': 'Contracts covered: {contracts}.',
  'directDebit.summary.link': 'See my direct debit mandate',
  'directDebit.summary.start': 'Sign up for direct debit',
  'directDebit.summary.page': 'See the Direct debit page',

  'directDebit.status.awaiting_signature': 'Awaiting your signature',
  'directDebit.status.to_validate': 'Signed, being checked by customer service',
  'directDebit.status.active': 'Active',
  'directDebit.status.rejected': 'Rejected by customer service',
  'directDebit.status.revoked': 'Revoked',

  'directDebit.current.title': 'Your mandate',
  'directDebit.field.status': 'Status',
  'directDebit.field.rum': 'Unique mandate reference (UMR)',
  'directDebit.field.holder': 'Account holder',
  'directDebit.field.address': 'Account holder’s address',
  'directDebit.field.iban': 'IBAN',
  'directDebit.field.bic': 'BIC',
  'directDebit.field.contracts': 'Contracts paid by direct debit',
  'directDebit.field.signed': 'Date of signature',
  'directDebit.field.place': 'Place of signature',
  'directDebit.field.paymentType': 'Type of payment',
  'directDebit.none': 'Not provided',
  'directDebit.signedValue': '{date}, in {place}',
  'directDebit.iban.spoken': 'IBAN {country} ending in {last4}',
  'directDebit.contract': 'Contract no. {number} — {carPark}',
  'directDebit.pdf': 'Download the signed mandate (PDF)',
  'directDebit.pdf.label': 'Download the signed mandate {rum} (PDF)',
  'directDebit.toValidate.note':
    'Customer service is checking your mandate. You will get an e-mail as soon as it is active; until then, pay your invoices as usual.',
  'directDebit.active.note': 'The invoices of the contracts above are paid by direct debit from this account.',
  'directDebit.revoke': 'Revoke this mandate',
  'directDebit.change': 'To change bank accounts, revoke this mandate, then sign a new one with your new IBAN.',

  'directDebit.rejected.title': 'Your last mandate was rejected',
  'directDebit.rejected.text': 'Customer service rejected mandate {rum}: {reason}',
  'directDebit.revoked.title': 'Your last mandate is revoked',
  'directDebit.revoked.text': 'Mandate {rum} has been revoked since {date}.',
  'directDebit.draft.title': 'A mandate is awaiting your signature',
  'directDebit.draft.text': 'You filled in mandate {rum} without signing it.',
  'directDebit.draft.continue': 'Finish signing mandate {rum}',
  'directDebit.notice.signed': 'Your mandate is signed. Customer service will check it; you will get an e-mail as soon as it is active.',
  'directDebit.notice.revoked': 'Your mandate is revoked. Your next invoices will have to be paid another way.',
  'directDebit.notice.alreadyRevoked': 'This mandate is no longer in force: there is nothing to revoke.',
  'directDebit.notice.alreadySigned': 'This mandate is already signed.',

  'directDebit.online.title': 'Sign online',
  'directDebit.online.text':
    'Fill in the mandate with the IBAN of the account to debit, then sign it with a one-time code sent to your verified e-mail address ({address}).',
  'directDebit.online.start': 'Fill in the mandate online',
  'directDebit.online.noEmail':
    'To sign the mandate online you need a verified main e-mail address: the signing code is sent there.',
  'directDebit.online.afterVerification':
    'The online form will be available as soon as your main e-mail address is verified (see the top of this page). You can also sign by post.',
  'directDebit.online.noEmail.link': 'Verify my e-mail address in my profile',
  'directDebit.online.noContracts': 'You have no current contract to pay by direct debit.',
  'directDebit.paper.title': 'By post',
  'directDebit.paper.text':
    'Prefer paper? Download the form pre-filled in your name, complete it, date it, sign it and post it with your bank details (RIB) to: {address}.',
  'directDebit.paper.link': 'Download the mandate form (PDF)',
  'directDebit.already': 'You already have a mandate in force. To sign another one, revoke it first.',

  'directDebit.form.title': 'SEPA Direct Debit Mandate',
  'directDebit.form.intro': 'Every field is required except the BIC. You will then sign this mandate with a code sent by e-mail.',
  'directDebit.form.required': '(required)',
  'directDebit.form.optional': '(optional)',
  'directDebit.form.debtor': 'The holder of the account to debit',
  'directDebit.form.holder': 'Account holder’s name',
  'directDebit.form.holder.hint': 'As printed on your bank details (RIB).',
  'directDebit.form.street': 'Address',
  'directDebit.form.postalCode': 'Postcode',
  'directDebit.form.city': 'Town or city',
  'directDebit.form.country': 'Country',
  'directDebit.form.account': 'The account to debit',
  'directDebit.form.iban': 'IBAN',
  'directDebit.form.iban.hint': 'It is on your bank details. For example FR76 3000 6000 0112 3456 7890 189 (27 characters in France); spaces are accepted.',
  'directDebit.form.bic': 'BIC',
  'directDebit.form.bic.hint': '8 or 11 characters, for example BNPAFRPP.',
  'directDebit.form.contracts': 'Contracts to pay by direct debit',
  'directDebit.form.contracts.hint': 'Tick at least one contract.',
  'directDebit.form.place': 'Place of signature',
  'directDebit.form.place.hint': 'The town or city where you sign this mandate.',
  'directDebit.form.text': 'Text of the mandate',
  'directDebit.form.submit': 'Continue: get the signing code',
  'directDebit.form.cancel': 'Cancel',
  'directDebit.form.errorSummary': 'The form has {count} error(s):',

  'directDebit.text.title': 'SEPA Direct Debit Mandate',
  'directDebit.text.creditor': 'Creditor',
  'directDebit.text.creditorName': 'Name',
  'directDebit.text.creditorAddress': 'Address',
  'directDebit.text.ics': 'SEPA creditor identifier (ICS)',
  'directDebit.text.rum': 'Unique mandate reference (UMR)',
  'directDebit.text.paymentType': 'Type of payment',
  'directDebit.text.recurrent': 'Recurrent payment',
  'directDebit.text.authorisation':
    'By signing this mandate form, you authorise (A) {creditor} to send instructions to your bank to debit your account and (B) your bank to debit your account in accordance with the instructions from {creditor}. As part of your rights, you are entitled to a refund from your bank under the terms and conditions of your agreement with your bank. A refund must be claimed within 8 weeks starting from the date on which your account was debited for an authorised debit, and without delay and no later than 13 months for an unauthorised debit.',
  'directDebit.text.rights': 'Your rights regarding this mandate are explained in a statement that you can obtain from your bank.',
  'directDebit.text.privacy':
    'The information in this mandate is used only to manage your direct debits by {creditor}. Your IBAN is stored encrypted.',

  'directDebit.error.holder.required': 'Enter the account holder’s name.',
  'directDebit.error.holder.tooLong': 'The account holder’s name cannot be longer than {max} characters.',
  'directDebit.error.street.required': 'Enter the account holder’s address.',
  'directDebit.error.postalCode.required': 'Enter the postcode.',
  'directDebit.error.city.required': 'Enter the town or city.',
  'directDebit.error.country.required': 'Enter the country.',
  'directDebit.error.tooLong': 'This field cannot be longer than {max} characters.',
  'directDebit.error.iban.required': 'Enter the IBAN of the account to debit.',
  'directDebit.error.iban.characters': 'An IBAN contains only letters and digits (spaces are accepted).',
  'directDebit.error.iban.country':
    '“{country}” is not a known IBAN country code: an IBAN starts with the code of its country, for example FR for France.',
  'directDebit.error.iban.notSepa':
    'SEPA direct debit is only possible from an account in a SEPA country; an IBAN from {countryName} ({country}) is not one.',
  'directDebit.error.iban.length':
    'An IBAN from {countryName} ({country}) has {expected} characters; you entered {actual}. Check it against your bank details.',
  'directDebit.error.iban.format': 'This IBAN does not match the format of IBANs from {countryName} ({country}): check it against your bank details.',
  'directDebit.error.iban.checksum':
    'The check digits of this IBAN are wrong: there is probably a typing mistake. Check it against your bank details.',
  'directDebit.error.bic.invalid': 'This BIC is not valid: it has 8 or 11 characters, for example BNPAFRPP. You can also leave it empty.',
  'directDebit.error.contracts.required': 'Tick at least one contract to pay by direct debit.',
  'directDebit.error.contracts.notYours': 'This choice is not one of your current contracts. Tick from the list.',
  'directDebit.error.place.required': 'Enter the town or city where you sign.',
  'directDebit.error.tooManyCodes': 'Too many signing codes were sent today. Try again tomorrow or use the paper form.',

  'directDebit.sign.title': 'Sign the mandate',
  'directDebit.sign.intro': 'Check the mandate below, then sign it with the code you received by e-mail.',
  'directDebit.sign.sent': 'A 6-digit code was sent to {address} on {date}. It is valid for 10 minutes, until {time}.',
  'directDebit.sign.step': 'Signing with a one-time code',
  'directDebit.sign.code': 'Signing code',
  'directDebit.sign.code.hint': 'The 6 digits received by e-mail.',
  'directDebit.sign.consent':
    'By entering this code and clicking “Sign the mandate”, you sign this SEPA direct debit mandate electronically, in {place}.',
  'directDebit.sign.submit': 'Sign the mandate',
  'directDebit.sign.resend': 'Send a new code',
  'directDebit.sign.resend.hint': 'Not received, expired or too many tries? Ask for a new code (one a minute at most). The previous one will stop working.',
  'directDebit.sign.error.required': 'Enter the 6-digit code received by e-mail.',
  'directDebit.sign.error.format': 'The code has exactly 6 digits.',
  'directDebit.sign.error.wrong': 'This code is wrong. You have {remaining} try(ies) left.',
  'directDebit.sign.error.lastTry': 'This code is wrong, and that was the last try: ask for a new one with the “Send a new code” button.',
  'directDebit.sign.error.dead': 'This code no longer works (expired, or 5 wrong tries). Ask for a new one with the “Send a new code” button.',
  'directDebit.sign.error.noCode': 'No valid code was sent for this mandate. Ask for one with the “Send a new code” button.',
  'directDebit.sign.resent': 'A new code was sent to {address}. The previous one no longer works.',
  'directDebit.sign.tooSoon': 'A code was just sent. You can ask for another one in {seconds} second(s).',

  'directDebit.revoke.title': 'Revoke mandate {rum}',
  'directDebit.revoke.text':
    'Once revoked, no more debits will be presented to this account under this mandate. Your next invoices will have to be paid another way, or under a new mandate.',
  'directDebit.revoke.confirm': 'Yes, revoke this mandate',
  'directDebit.revoke.back': 'No, back to my mandate',

  'directDebit.mail.code.subject': 'Your code to sign the direct debit mandate',
  'directDebit.mail.code.p1': 'Here is your code to sign SEPA direct debit mandate {rum}: {code}',
  'directDebit.mail.code.p2': 'It is valid for 10 minutes and works only once.',
  'directDebit.mail.code.note': 'If you did not ask for it, do not share this code with anyone and tell customer service ({phone}, {email}).',
  'directDebit.mail.signed.subject': 'Your direct debit mandate {rum} is signed',
  'directDebit.mail.signed.p1':
    'On {date} you signed SEPA direct debit mandate {rum} in favour of {creditor}. Customer service will check it; you will be told as soon as it is active.',
  'directDebit.mail.signed.p2': 'You can download the signed mandate from your customer area.',
  'directDebit.mail.action': 'See my mandate',
  'directDebit.mail.ifNotYou': 'If you did not do this, contact customer service without delay ({phone}, {email}).',
  'directDebit.mail.iban': 'Account: {iban}',
  'directDebit.mail.rum': 'UMR: {rum}',
  'directDebit.mail.contracts': 'Contracts: {contracts}',
  'directDebit.mail.revoked.subject': 'Your direct debit mandate {rum} is revoked',
  'directDebit.mail.revoked.p1':
    'On {date} you revoked SEPA direct debit mandate {rum}. No more debits will be presented under it; your next invoices will have to be paid another way.',
  'directDebit.mail.validated.subject': 'Your direct debit mandate {rum} is active',
  'directDebit.mail.validated.p1':
    'Customer service has approved SEPA direct debit mandate {rum}. The invoices of the contracts below will now be paid by direct debit from your account.',
  'directDebit.mail.validated.p2': 'The amount and date of each debit are on the corresponding invoice, which reaches you before the debit.',
  'directDebit.mail.rejected.subject': 'Your direct debit mandate {rum} could not be accepted',
  'directDebit.mail.rejected.p1': 'Customer service could not accept SEPA direct debit mandate {rum}, for this reason: {reason}',
  'directDebit.mail.rejected.p2': 'You can sign a new mandate from your customer area, or contact us. Until then, pay your invoices as usual.',

  'directDebit.pdf.debtor': 'Debtor',
  'directDebit.pdf.debtorName': 'Account holder’s name',
  'directDebit.pdf.debtorAddress': 'Address',
  'directDebit.pdf.iban': 'IBAN (international bank account number)',
  'directDebit.pdf.bic': 'BIC (bank identifier code)',
  'directDebit.pdf.contracts': 'Contracts covered',
  'directDebit.pdf.signature': 'Signature',
  'directDebit.pdf.signedAt': 'Signed in {place} on {date} at {time} (Paris time).',
  'directDebit.pdf.evidence':
    'Electronic signature: one-time code sent on {sentAt} to {address}, entered on {confirmedAt} from IP address {ip}.',
  'directDebit.pdf.status': 'Mandate signed online in the customer area; it takes effect once customer service has approved it.',
  'directDebit.pdf.customer': 'Customer no.: {number}',
  'directDebit.pdf.page': 'Page {page}/{pages}',
  'directDebit.paper.place': 'Place',
  'directDebit.paper.date': 'Date',
  'directDebit.paper.signature': 'Signature of the account holder',
  'directDebit.paper.ibanHint': '27 characters for an account in France; up to 34 elsewhere.',
  'directDebit.paper.bicHint': '8 or 11 characters (optional).',
  'directDebit.paper.contractsHint': 'Tick the contracts to pay by direct debit.',
  'directDebit.paper.return': 'Return it dated and signed, with your bank details (RIB), to: {name}, Customer service, {address}.',
  'directDebit.paper.validation': 'The mandate takes effect once customer service has checked it; they will let you know.',
};
