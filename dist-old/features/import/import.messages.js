/*
 * The bulk import (`npm run portal -- import …`): what is wrong with a file, a line or a cell.
 * The command line speaks English (`translator('en')`); the French is the catalogue's reference.
 * What is wrong with a value once read is said by the API's words (`api.field.*`).
 */
export const importFr = {
    // ---- the file as a whole
    'import.file.empty': 'Le fichier est vide : il faut une ligne d’en-tête.',
    'import.file.utf16': 'Le fichier est en UTF-16 : enregistrez-le en « CSV UTF-8 ».',
    'import.file.notUtf8': 'Le fichier n’est pas en UTF-8 (ligne {line}) : dans Excel, enregistrez-le en « CSV UTF-8 (délimité par des virgules) » ; dans LibreOffice, choisissez le jeu de caractères « Unicode (UTF-8) ».',
    'import.file.quote': 'Ligne {line} : un champ entre guillemets n’est pas refermé.',
    'import.file.malformed': 'Ligne {line} : CSV illisible (un guillemet mal placé ?).',
    'import.header.unknown': 'Colonne inconnue « {column} ». Colonnes possibles : {columns}.',
    'import.header.duplicate': 'La colonne « {column} » figure deux fois.',
    'import.header.missing': 'Colonne obligatoire absente : « {column} ».',
    // ---- a line
    'import.row.fields': 'Cette ligne a {count} champs, l’en-tête {expected}.',
    'import.row.duplicate': 'Même {column} qu’à la ligne {line} : une seule ligne par valeur.',
    'import.row.differs': 'Diffère de la ligne {line} pour le même {key} : laissez vide ou répétez la même valeur.',
    // ---- a cell that cannot be read
    'import.cell.amount': 'Montant en euros attendu, par exemple 123,45 ou 123.45.',
    'import.cell.date': 'Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ.',
    'import.cell.dateTime': 'Date et heure attendues : JJ/MM/AAAA HH:MM ou AAAA-MM-JJ HH:MM (heure de Paris), ou ISO 8601 avec fuseau.',
    'import.cell.month': 'Mois attendu au format MM/AAAA ou AAAA-MM.',
    'import.cell.boolean': 'oui ou non attendu (ou true/false, 1/0).',
    'import.cell.integer': 'Nombre entier attendu.',
    'import.cell.quantity': 'Quantité attendue, par exemple 1 ou 0,5 (trois décimales au plus).',
    'import.cell.rate': 'Taux en pourcentage attendu, par exemple 20 ou 5,5.',
    'import.cell.hours': 'Lignes d’horaires attendues, par exemple « everyone | reception 1-5 08:00-19:00 » (jours de 1 = lundi à 7, heures HH:MM-HH:MM).',
    'import.cell.pdfFolder': 'Un PDF est nommé : indiquez le dossier des PDF avec --pdfs.',
    'import.cell.pdfName': 'Nom de fichier attendu, sans chemin, dans le dossier des PDF.',
    'import.cell.pdfMissing': 'Aucun fichier « {name} » dans le dossier des PDF.',
    'import.cell.notPdf': '« {name} » n’est pas un PDF.',
};
export const importEn = {
    'import.file.empty': 'The file is empty: it needs a header line.',
    'import.file.utf16': 'The file is UTF-16: save it as "CSV UTF-8".',
    'import.file.notUtf8': 'The file is not UTF-8 (line {line}): in Excel, save it as "CSV UTF-8 (Comma delimited)"; in LibreOffice, choose the character set "Unicode (UTF-8)".',
    'import.file.quote': 'Line {line}: a quoted field is not closed.',
    'import.file.malformed': 'Line {line}: not readable as CSV (a misplaced quote?).',
    'import.header.unknown': 'Unknown column "{column}". The columns are: {columns}.',
    'import.header.duplicate': 'Column "{column}" appears twice.',
    'import.header.missing': 'Required column "{column}" is missing.',
    'import.row.fields': 'This line has {count} fields where the header has {expected}.',
    'import.row.duplicate': 'Same {column} as line {line}: one line per value.',
    'import.row.differs': 'Not as on line {line} for the same {key}: leave it empty or repeat the same value.',
    'import.cell.amount': 'Expected an amount in euros such as 123,45 or 123.45.',
    'import.cell.date': 'Expected a date, DD/MM/YYYY or YYYY-MM-DD.',
    'import.cell.dateTime': 'Expected a date and time: DD/MM/YYYY HH:MM or YYYY-MM-DD HH:MM (Paris time), or ISO 8601 with its offset.',
    'import.cell.month': 'Expected a month, MM/YYYY or YYYY-MM.',
    'import.cell.boolean': 'Expected oui or non (or true/false, 1/0).',
    'import.cell.integer': 'Expected a whole number.',
    'import.cell.quantity': 'Expected a quantity such as 1 or 0,5 (three decimals at most).',
    'import.cell.rate': 'Expected a rate in percent such as 20 or 5,5.',
    'import.cell.hours': 'Expected lines of hours such as "everyone | reception 1-5 08:00-19:00" (days 1 = Monday to 7, hours HH:MM-HH:MM).',
    'import.cell.pdfFolder': 'A PDF is named: give the folder of the PDFs with --pdfs.',
    'import.cell.pdfName': 'Expected a file name, without a path, in the folder of the PDFs.',
    'import.cell.pdfMissing': 'No file "{name}" in the folder of the PDFs.',
    'import.cell.notPdf': '"{name}" is not a PDF.',
};
//# sourceMappingURL=import.messages.js.map