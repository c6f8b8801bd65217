export const PARKS = [
    {
        code: 'CARDINET', prefix: 'CARD', name: 'CARDINET', address_line: '112 rue Cardinet', postal_code: '75017',
        phone: '01.44.82.99.99', opening_hours: [{ for: 'everyone' }],
        services: ['ev_charging', 'motorcycles', 'cctv'], petit_rouleur_30: 0,
        residentTtc: 26000, nonResidentTtc: 38000, motoTtc: 7500,
    },
    {
        code: 'WAGRAM', prefix: 'WAGR', name: 'WAGRAM', address_line: '38 avenue de Wagram', postal_code: '75008',
        phone: '01.45.63.21.40', opening_hours: [{ for: 'everyone' }, { for: 'reception', days: [1, 5], hours: ['08:00', '19:00'] }],
        services: ['ev_charging', 'step_free', 'lift', 'cctv', 'car_wash'],
        petit_rouleur_30: 0, residentTtc: 24000, nonResidentTtc: 36000, motoTtc: 7000,
    },
    {
        code: 'BATIGNOLLES', prefix: 'BATI', name: 'BATIGNOLLES', address_line: '24 boulevard des Batignolles',
        postal_code: '75017', phone: '01.43.87.52.16', opening_hours: [{ for: 'everyone' }],
        services: ['motorcycles', 'bicycles', 'step_free', 'cctv'], petit_rouleur_30: 0,
        residentTtc: 23000, nonResidentTtc: 34000, motoTtc: 7000,
    },
    {
        code: 'GAMBETTA', prefix: 'GAMB', name: 'GAMBETTA', address_line: '9 avenue Gambetta', postal_code: '75020',
        phone: '01.46.36.74.05', opening_hours: [{ for: 'everyone', days: [1, 6], hours: ['07:00', '22:00'] }, { for: 'subscribers' }],
        services: ['motorcycles', 'ev_charging', 'family_spaces', 'cctv'], petit_rouleur_30: 1,
        residentTtc: 20000, nonResidentTtc: 30000, motoTtc: 6000,
    },
    {
        code: 'BERCY', prefix: 'BERC', name: 'BERCY', address_line: '52 rue de Bercy', postal_code: '75012',
        phone: '01.43.40.18.92', opening_hours: [{ for: 'everyone' }],
        services: ['ev_charging', 'motorcycles', 'car_sharing', 'step_free', 'guarded_24h'],
        petit_rouleur_30: 1, residentTtc: 21000, nonResidentTtc: 31000, motoTtc: 6000,
    },
    {
        code: 'MAINE', prefix: 'MAIN', name: 'MAINE', address_line: '31 avenue du Maine', postal_code: '75014',
        phone: '01.45.48.66.23', opening_hours: [{ for: 'everyone' }, { for: 'reception', hours: ['07:00', '21:00'] }],
        services: ['motorcycles', 'bicycles', 'lift', 'cctv'], petit_rouleur_30: 0,
        residentTtc: 22000, nonResidentTtc: 33000, motoTtc: 6500,
    },
    {
        code: 'REPUBLIQUE', prefix: 'REPU', name: 'RÉPUBLIQUE', address_line: '6 rue du Faubourg du Temple',
        postal_code: '75011', phone: '01.48.05.37.71', opening_hours: [{ for: 'everyone' }],
        services: ['ev_charging', 'motorcycles', 'car_wash', 'cctv'], petit_rouleur_30: 0,
        residentTtc: 19000, nonResidentTtc: 29000, motoTtc: 5500,
    },
];
export const LAST_NAMES = [
    'MARTIN', 'BERNARD', 'THOMAS', 'PETIT', 'ROBERT', 'RICHARD', 'DUBOIS', 'MOREAU', 'LAURENT', 'SIMON',
    'MICHEL', 'LEFÈVRE', 'LEROY', 'ROUX', 'DAVID', 'BERTRAND', 'MOREL', 'FOURNIER', 'GIRARD', 'BONNET',
    'DUPONT', 'LAMBERT', 'FONTAINE', 'ROUSSEAU', 'VINCENT', 'MULLER', 'FAURE', 'ANDRÉ', 'MERCIER', 'BLANC',
    'GUÉRIN', 'BOYER', 'GARNIER', 'CHEVALIER', 'LEGRAND', 'GAUTHIER', 'GARCIA', 'PERRIN', 'CLÉMENT', 'MORIN',
    'NICOLAS', 'HENRY', 'MATHIEU', 'MASSON', 'MARCHAND', 'DUVAL', 'LEMAIRE', "D'ALMEIDA", 'LE GALL', 'NGUYEN',
    'BENALI', 'MARTIN-LEROY', 'DA SILVA', 'HADDAD', "N'DIAYE", 'KOWALSKI',
];
export const FIRST_NAMES_F = [
    'Hélène', 'Camille', 'Sophie', 'Chloé', 'Léa', 'Nathalie', 'Isabelle', 'Émilie', 'Claire', 'Amélie',
    'Inès', 'Manon', 'Sarah', 'Zoé', 'Élodie', 'Aurélie', 'Fatima', 'Anne-Sophie', 'Marie', 'Céline',
];
export const FIRST_NAMES_M = [
    'Jean', 'Pierre', 'Nicolas', 'Julien', 'Thomas', 'Antoine', 'François', 'Laurent', 'Olivier', 'Stéphane',
    'Mathieu', 'Hugo', 'Karim', 'Mehdi', 'Jean-Baptiste', 'Rémi', 'Grégoire', 'Théo', 'Paul', 'Yannick',
];
export const ENGLISH_NAMES = [
    ['SMITH', 'Emily', 'Mme'], ['JOHNSON', 'Michael', 'M.'], ["O'BRIEN", 'Siobhan', 'Mme'],
    ['WILLIAMS', 'James', 'M.'], ['TAYLOR', 'Olivia', 'Mme'], ['MILLER', 'Daniel', 'M.'],
];
export const COMPANIES = [
    'ATELIERS DES BATIGNOLLES SARL', 'CABINET MOREAU & ASSOCIÉS', 'LIVRAISONS EXPRESS PARIS SAS',
    'BOULANGERIE SAINT-HONORÉ', 'CLINIQUE VÉTÉRINAIRE DES TERNES', 'TECHNOVA CONSEIL SAS',
    'PHARMACIE DE LA PLACE CLICHY', 'AGENCE IMMOBILIÈRE WAGRAM', 'TRANSPORTS LEMAIRE ET FILS',
    "STUDIO GRAPHIQUE L'ATELIER", 'HÔTEL DU PARC MONCEAU', 'SOCIÉTÉ NOUVELLE DE PLOMBERIE',
    'FLEURS & JARDINS DE BERCY', 'MAINE ARCHITECTURE SELARL',
];
export const STREETS = [
    ['RUE DE LÉVIS', '75017', 'PARIS'], ['BOULEVARD MALESHERBES', '75017', 'PARIS'], ['RUE CARDINET', '75017', 'PARIS'],
    ['AVENUE DE VILLIERS', '75017', 'PARIS'], ['RUE DES DAMES', '75017', 'PARIS'], ['RUE DE ROME', '75008', 'PARIS'],
    ['RUE DU FAUBOURG SAINT-ANTOINE', '75012', 'PARIS'], ['AVENUE PARMENTIER', '75011', 'PARIS'],
    ['RUE OBERKAMPF', '75011', 'PARIS'], ['RUE DE CHARONNE', '75011', 'PARIS'], ['BOULEVARD VOLTAIRE', '75011', 'PARIS'],
    ['RUE DES PYRÉNÉES', '75020', 'PARIS'], ['AVENUE GAMBETTA', '75020', 'PARIS'], ['RUE DE MÉNILMONTANT', '75020', 'PARIS'],
    ['RUE DE BERCY', '75012', 'PARIS'], ['AVENUE DAUMESNIL', '75012', 'PARIS'], ['RUE DU COMMERCE', '75015', 'PARIS'],
    ['RUE DE VAUGIRARD', '75015', 'PARIS'], ["RUE D'ALÉSIA", '75014', 'PARIS'], ['AVENUE DU MAINE', '75014', 'PARIS'],
    ['RUE DE TOLBIAC', '75013', 'PARIS'], ['RUE MOUFFETARD', '75005', 'PARIS'], ['RUE DE BRETAGNE', '75003', 'PARIS'],
    ['RUE DU FAUBOURG SAINT-DENIS', '75010', 'PARIS'], ['RUE CAULAINCOURT', '75018', 'PARIS'], ['RUE LEPIC', '75018', 'PARIS'],
    ['AVENUE DE FLANDRE', '75019', 'PARIS'], ['RUE DE TURBIGO', '75003', 'PARIS'],
    ['RUE ANATOLE FRANCE', '92300', 'LEVALLOIS-PERRET'], ['AVENUE CHARLES DE GAULLE', '92200', 'NEUILLY-SUR-SEINE'],
    ['RUE DE PARIS', '93100', 'MONTREUIL'],
];
export const ADDRESS_LINE2 = ['BÂTIMENT B', 'ESCALIER 3, 4E ÉTAGE', 'APPARTEMENT 12', 'RÉSIDENCE LES TILLEULS', 'CHEZ M. ET MME LEROY'];
export const CARS = [
    'Peugeot 208 grise', 'Renault Clio bleue', 'Citroën C3 blanche', 'Tesla Model 3 noire', 'Toyota Yaris hybride rouge',
    'Renault Zoé blanche', 'Volkswagen Golf noire', 'Fiat 500 crème', 'Dacia Sandero grise', 'Peugeot 3008 noir',
];
export const MOTOS = ['Yamaha MT-07 noire', 'Honda CB500F rouge', 'Piaggio MP3 gris', 'Vespa Primavera 125 bleue', 'BMW R 1250 GS'];
export const VANS = ['Renault Kangoo blanc', 'Citroën Berlingo blanc', 'Peugeot Expert blanc', 'Renault Master blanc'];
export const CREDIT_REASONS = [
    'Geste commercial : place indisponible pour travaux',
    "Geste commercial : panne de la porte d'accès",
    'Geste commercial : badge défectueux',
    'Geste commercial : ascenseur hors service',
];
/** The reason of the credit note that takes back a space billed once too often. */
export const SPACE_BILLED_TWICE = 'Rectification : une place facturée en trop';
/** French banks (code and BIC) the demo's fictional accounts are held at. */
export const BANKS = [
    ['30004', 'BNPAFRPPXXX'], ['30003', 'SOGEFRPPXXX'], ['30002', 'CRLYFRPPXXX'], ['20041', 'PSSTFRPPPAR'],
    ['10278', 'CMCIFR2A'], ['11315', 'CEPAFRPP131'], ['18206', 'AGRIFRPP882'],
];
/** Where customers sign their paper mandate. */
export const SIGNATURE_PLACES = ['Paris', 'Paris', 'Paris', 'Levallois-Perret', 'Montreuil', 'Neuilly-sur-Seine'];
export const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTVWXYZ';
export const MOTO_PARKS = PARKS.filter((p) => p.services.includes('motorcycles'));
export const parkByCode = (code) => PARKS.find((p) => p.code === code);
export const PRODUCT_LABELS = {
    resident: 'Abonnement résident',
    resident_petit_rouleur: 'Abonnement résident petit rouleur',
    non_resident: 'Abonnement non-résident',
    moto: 'Abonnement moto',
    business: 'Abonnement entreprise',
};
//# sourceMappingURL=demo.reference.js.map