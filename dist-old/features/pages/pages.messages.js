/* Words around the content pages (the pages' own text is in content/<lang>/*.md), the footer and "Tous nos parkings". */
export const pagesFr = {
    'pages.toc': 'Sommaire',
    'pages.updated': 'Dernière mise à jour : {date}',
    'footer.faq': 'Foire aux questions',
    'footer.newsletter': 'Newsletter',
    'footer.legalLabel': 'Informations légales',
    'footer.legalNotice': 'Mentions légales',
    'footer.privacy': 'Confidentialité',
    'footer.accessibility': 'Accessibilité : partiellement conforme',
    'parkings.intro': 'Adresse, téléphone, horaires et services de chacun de nos parkings.',
    'parkings.none': 'Aucun parking n’est encore référencé.',
};
export const pagesEn = {
    'pages.toc': 'Contents',
    'pages.updated': 'Last updated: {date}',
    'footer.faq': 'Frequently asked questions',
    'footer.newsletter': 'Newsletter',
    'footer.legalLabel': 'Legal information',
    'footer.legalNotice': 'Legal notice',
    'footer.privacy': 'Privacy',
    'footer.accessibility': 'Accessibility: partially compliant',
    'parkings.intro': 'Address, phone number, opening hours and services of each of our car parks.',
    'parkings.none': 'No car park is listed yet.',
};
//# sourceMappingURL=pages.messages.js.map