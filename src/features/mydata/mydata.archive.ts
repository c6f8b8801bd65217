import { Readable } from 'node:stream';
import type { ZipFile } from 'yazl';
import type { Config } from '../../config.ts';
import { type ContentStore, contentStore } from '../../lib/content-store.ts';
import { readAttachment } from '../contact/contact.service.ts';
import { readDocumentPdf } from '../documents/documents.service.ts';
import type { CustomerData } from './mydata.queries.ts';
import { exportedMailText, mailTextAbsence, safeEntryName } from './mydata.rules.ts';

/*
 * The archive of "Mes données": a ZIP of JSON files (UTF-8, indented, keys documented in
 * `index.json` and `README.txt`, in French) and the files themselves — each document's PDF as
 * its download serves it (`readDocumentPdf`), each attachment of a request, each registration
 * certificate. Built as a stream (yazl): a file's bytes are read only when the archive reaches
 * it, and what is written goes straight to the store, so no archive is ever held in memory.
 */

/** One file of the archive as the README and `index.json` describe it. */
interface Described {
  name: string;
  description: string;
  keys?: Record<string, string>;
}

const FILES: Described[] = [
  { name: 'README.txt', description: 'Ce fichier : ce que contient l’archive et comment la lire.' },
  { name: 'index.json', description: 'La liste des fichiers de l’archive, avec la signification de leurs clés (lisible par un programme).' },
  {
    name: 'identite.json',
    description: 'Votre identité et vos coordonnées telles que le portail les connaît, et l’état de votre accès.',
    keys: {
      customer: 'Votre fiche client : numéro (number), type (kind : individual particulier, business entreprise), civilité, nom, prénom, société, SIREN, adresse postale, téléphones, adresses e-mail et date de leur vérification (…_verified_at), consentement aux documents par e-mail (paperless), langue, solde en centimes (balance_cents : factures moins avoirs et paiements), dates de création et de modification.',
      login: 'Votre accès au portail : état (state), date d’activation, de la dernière connexion, du dernier changement de mot de passe, d’émission et de fin de validité d’un mot de passe provisoire. Aucun mot de passe n’y figure.',
    },
  },
  {
    name: 'contrats.json',
    description: 'Vos contrats, avec leurs véhicules et leur historique, les badges, les résiliations et les avis de renouvellement.',
    keys: {
      number: 'Numéro du contrat.',
      car_park_name: 'Le parc de stationnement (et son code, son adresse).',
      'product, status, start_date, end_date, renewal_date, billing_period': 'Formule, état, dates de début, de fin et de renouvellement, périodicité de facturation.',
      'price_ht_cents, vat_rate_bp': 'Prix par période hors taxes, en centimes ; taux de TVA en points de base (2000 = 20 %).',
      vehicles: 'Les véhicules du contrat, en vigueur ou passés : immatriculation (plate), pays, description, du (valid_from) au (valid_to ; vide : toujours en vigueur).',
      vehicle_changes: 'Vos demandes de changement de véhicule : immatriculation, marque, modèle, date, état, motif d’un refus ; certificate_file : le certificat d’immatriculation joint, dans le dossier certificats/.',
      badge_replacements: 'Les badges déclarés perdus, volés ou cassés, et leur remplacement (frais en centimes, dates, nouveau badge).',
      terminations: 'Vos demandes de résiliation : référence, date de la demande, date de fin, adresse de l’accusé de réception, retrait ou traitement.',
      renewal_notices: 'Les avis de reconduction tacite (loi Chatel) envoyés : date de renouvellement, date limite, par e-mail ou courrier, en retard ou non.',
    },
  },
  {
    name: 'utilisateurs.json',
    description: 'Les personnes que vous avez invitées à utiliser votre compte (comptes d’entreprise) ; vide sinon.',
    keys: {
      'email, name, role': 'Adresse de connexion, nom, rôle (manager gestionnaire ; accountant comptable).',
      state: 'invited invitation envoyée, active compte ouvert, removed retiré.',
      'invited_at, activated_at, last_login_at, removed_at': 'Invitation, ouverture, dernière connexion, retrait (UTC).',
    },
  },
  {
    name: 'consentements.json',
    description: 'Vos consentements et leur historique.',
    keys: {
      paperless: 'Consentement actuel aux documents par e-mail (1 oui, 0 non) et date du dernier changement.',
      paperless_history: 'Chaque consentement donné (given 1) ou retiré (given 0) : date, origine (source), adresse IP.',
      newsletter: 'Vos inscriptions à la lettre d’information, par adresse : état, dates d’inscription, de confirmation, de désinscription.',
      email_verifications: 'Chaque vérification d’adresse e-mail demandée : adresse, date, fin de validité, date d’utilisation du lien (le lien lui-même n’est pas conservé).',
    },
  },
  {
    name: 'connexions.json',
    description: 'Vos connexions au portail.',
    keys: {
      sessions: 'Les sessions ouvertes : type (customer vous ; activation première connexion ; staff_view consultation en lecture seule par le service client), ouverture, dernière activité, fin, adresse IP, navigateur (user_agent).',
      password_resets: 'Les demandes de réinitialisation du mot de passe : date, fin de validité, utilisation.',
      login_audit: 'Les lignes du journal sur vos connexions (action auth.…) : quand (at), résultat (outcome), adresse IP, navigateur.',
    },
  },
  {
    name: 'demandes.json',
    description: 'Vos demandes au service client, leurs messages et leurs pièces jointes (les fichiers sont dans le dossier demandes/).',
    keys: {
      reference: 'Référence de la demande.',
      'category, message, status': 'Sujet, votre premier message, état (received reçue, in_progress en cours, waiting_customer en attente de votre réponse, closed close).',
      messages: 'La conversation : auteur (author_type customer vous, staff le service client), texte, date.',
      attachments: 'Les pièces jointes : nom d’origine, type, taille, empreinte SHA-256 ; file : le fichier dans l’archive.',
    },
  },
  {
    name: 'emails.json',
    description: 'Les e-mails que le portail vous a envoyés ou va vous envoyer.',
    keys: {
      'recipient, subject, template, status, created_at, sent_at': 'Destinataire, objet, type de message, état (pending à envoyer, sent envoyé, dead abandonné), dates.',
      text: 'Le texte du message tant que le portail le conserve (il l’efface une fois le message envoyé). Jamais un lien personnel, un code ou un mot de passe provisoire : ils sont remplacés par [retiré].',
      text_absent: 'Pourquoi le texte manque : secret (le message ne contenait qu’un lien ou un code personnel), forgotten (effacé après l’envoi).',
    },
  },
  {
    name: 'documents.json',
    description: 'Vos factures et avoirs publiés, avec leurs lignes ; chaque PDF est dans le dossier documents/, tel que le portail le télécharge.',
    keys: {
      'number, kind': 'Numéro, type (invoice facture, credit_note avoir).',
      'issue_date, period_start, period_end, due_date': 'Date d’émission, période facturée, échéance.',
      'total_ht_cents, total_vat_cents, total_ttc_cents, settled_cents': 'Montants en centimes : HT, TVA, TTC, déjà réglé.',
      lines: 'Les lignes : libellé, quantité en millièmes, prix unitaire HT, taux de TVA, montants.',
      file: 'Le PDF dans l’archive.',
    },
  },
  {
    name: 'paiements.json',
    description: 'Vos paiements et les factures qu’ils ont réglées.',
    keys: {
      'method, provider, provider_reference, status, amount_cents, received_at': 'Moyen, prestataire, référence, état, montant en centimes, date de réception.',
      allocations: 'Ce que le paiement a réglé : numéro de facture, montant en centimes.',
    },
  },
  {
    name: 'mandats.json',
    description: 'Vos mandats de prélèvement SEPA (IBAN masqué, comme le portail l’affiche).',
    keys: {
      'rum, holder_name, holder_address, iban, bic': 'Référence unique du mandat, titulaire, adresse, IBAN masqué, BIC.',
      'status, source, signed_at, signature_place, revoked_at, end_reason': 'État, origine (online en ligne, paper papier), signature, révocation et son motif.',
      contracts: 'Les contrats prélevés.',
    },
  },
  {
    name: 'decomptes.json',
    description: 'Vos décomptes petit rouleur : sorties par mois et remise.',
    keys: { 'contract_number, month, exit_count, discount_ht_cents, document_number': 'Contrat, mois, nombre de sorties, remise HT en centimes, document qui la porte.', exits: 'Chaque sortie (date et heure UTC).' },
  },
  {
    name: 'journal.json',
    description: 'Les lignes du journal d’audit du portail qui vous concernent : vos actions et celles faites sur votre compte.',
    keys: {
      'at, action, outcome': 'Quand (UTC), quoi, résultat (success, failure, denied).',
      'actor_type, actor_id': 'Qui : customer vous (votre identifiant), staff le service client, api le logiciel de l’exploitant, system le portail lui-même, anonymous un visiteur.',
      'target_type, target_id, ip, user_agent, details': 'Sur quoi, depuis où, et le détail.',
    },
  },
];

const README_INTRO = [
  'Vos données personnelles',
  '========================',
  '',
  'Cette archive contient tout ce que le portail client conserve à votre sujet (droit d’accès et',
  'droit à la portabilité, articles 15 et 20 du RGPD). Les fichiers .json sont encodés en UTF-8 et',
  'lisibles par un éditeur de texte ou un tableur ; les montants sont en centimes d’euro, les dates',
  'au format AAAA-MM-JJ, les instants en UTC (AAAA-MM-JJTHH:MM:SS.sssZ).',
  '',
  'Aucun secret n’y figure : ni mot de passe, ni lien personnel, ni code, ni IBAN complet.',
  '',
  'Fichiers',
  '--------',
  '',
];

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

function readme(customerNumber: string, generatedAt: string): Buffer {
  const lines = [...README_INTRO];
  for (const f of FILES) {
    lines.push(`${f.name} : ${f.description}`);
    for (const [k, v] of Object.entries(f.keys ?? {})) lines.push(`  - ${k} : ${v}`);
    lines.push('');
  }
  lines.push('Dossiers : documents/ (vos factures et avoirs en PDF), demandes/ (les pièces jointes de vos demandes), certificats/ (les certificats d’immatriculation joints à vos demandes de changement de véhicule).', '');
  lines.push(`Client n° ${customerNumber}, archive préparée le ${generatedAt} (UTC).`, '');
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** A file read only when the archive reaches it. */
function lazy(zip: ZipFile, name: string, read: () => Promise<Buffer>, mtime: Date) {
  zip.addReadStreamLazy(name, { mtime }, (cb) => {
    read().then(
      (bytes) => cb(null, Readable.from([bytes])),
      (e: unknown) => cb(e, Readable.from([])),
    );
  });
}

/**
 * The archive of one customer's data as a stream: the ZIP's bytes as yazl writes them. What
 * `data` lists of files is read from the stores as the stream is consumed: the documents' PDFs
 * from `documents` (the app's `storage`, `contentStore(config, 'documents')` in production).
 */
export async function exportArchive(config: Config, documents: ContentStore, data: CustomerData, generatedAt: Date): Promise<Readable> {
  // Loaded at the first archive, not by every process serving pages (as the documents' ZIP).
  const { ZipFile } = await import('yazl');
  const zip = new ZipFile();
  // A file that cannot be read (a document's PDF altered in the store) fails the whole archive.
  zip.on('error', (e: Error) => (zip.outputStream as Readable).destroy(e));
  const mtime = generatedAt;
  const attachments = contentStore(config, 'attachments');
  const at = generatedAt.toISOString();
  const { customer } = data;

  zip.addBuffer(readme(customer.number, at), 'README.txt', { mtime });
  zip.addBuffer(json({ generated_at: at, customer_number: customer.number, files: FILES }), 'index.json', { mtime });

  const { balance_cents, account_version: _version, ...identity } = customer;
  zip.addBuffer(json({ customer: { ...identity, balance_cents }, login: data.login ?? null }), 'identite.json', { mtime });
  zip.addBuffer(json(data.users), 'utilisateurs.json', { mtime });

  const usedNames = new Set<string>();
  const unique = (name: string) => {
    let candidate = name;
    for (let i = 2; usedNames.has(candidate); i++) candidate = name.replace(/(\.[^./]*)?$/, (ext) => `-${i}${ext}`);
    usedNames.add(candidate);
    return candidate;
  };

  const contracts = data.contracts.map(({ id: _id, vehicle_changes, ...k }) => ({
    ...k,
    vehicles: k.vehicles.map(({ contract_id: _c, ...v }) => v),
    vehicle_changes: vehicle_changes.map(({ contract_id: _c, certificate_sha256, ...v }) => {
      const file = unique(`certificats/${v.created_at.slice(0, 10)}-${safeEntryName(v.certificate_name)}`);
      lazy(zip, file, () => readAttachment(attachments, certificate_sha256), mtime);
      return { ...v, certificate_sha256, certificate_file: file };
    }),
    badge_replacements: k.badge_replacements.map(({ contract_id: _c, ...b }) => b),
    terminations: k.terminations.map(({ contract_id: _c, ...r }) => r),
    renewal_notices: k.renewal_notices.map(({ contract_id: _c, ...r }) => r),
  }));
  // The certificates were queued as the contracts were described: the JSON goes first by name, not by order.
  zip.addBuffer(json(contracts), 'contrats.json', { mtime });

  zip.addBuffer(
    json({
      paperless: { given: customer.paperless, changed_at: customer.paperless_changed_at },
      paperless_history: data.paperlessHistory,
      newsletter: data.newsletter,
      email_verifications: data.verifications,
    }),
    'consentements.json',
    { mtime },
  );

  zip.addBuffer(
    json({ sessions: data.sessions, password_resets: data.resets, login_audit: data.auditLines.filter((a) => a.action.startsWith('auth.') || a.action === 'account.activate') }),
    'connexions.json',
    { mtime },
  );

  const requests = data.requests.map(({ id: _id, messages, attachments: files, ...r }) => ({
    ...r,
    messages: messages.map(({ id: _m, request_id: _r, ...m }) => m),
    attachments: files.map(({ id: _a, request_id: _r, message_id: _mid, ...a }) => {
      const file = unique(`demandes/${safeEntryName(r.reference)}/${safeEntryName(a.original_name)}`);
      lazy(zip, file, () => readAttachment(attachments, a.sha256), mtime);
      return { ...a, file };
    }),
  }));
  zip.addBuffer(json(requests), 'demandes.json', { mtime });

  zip.addBuffer(
    json(
      data.mails.map(({ text_body, ...m }) => ({
        ...m,
        text: exportedMailText(m.template, text_body),
        text_absent: mailTextAbsence(m.template, text_body),
      })),
    ),
    'emails.json',
    { mtime },
  );

  const docs = data.documents.map(({ id: _id, pdf_sha256, lines, ...d }) => {
    const file = pdf_sha256 ? unique(`documents/${safeEntryName(d.number)}.pdf`) : null;
    if (file && pdf_sha256) lazy(zip, file, () => readDocumentPdf(documents, pdf_sha256), mtime);
    return { ...d, lines: lines.map(({ document_id: _d, ...l }) => l), pdf_sha256, file };
  });
  zip.addBuffer(json(docs), 'documents.json', { mtime });

  zip.addBuffer(json(data.payments.map(({ id: _id, allocations, ...p }) => ({ ...p, allocations: allocations.map(({ payment_id: _p, ...a }) => a) }))), 'paiements.json', { mtime });
  zip.addBuffer(json(data.mandates.map(({ id: _id, replaces_mandate_id: _r, ...m }) => m)), 'mandats.json', { mtime });
  zip.addBuffer(json(data.statements.map(({ id: _id, ...s }) => s)), 'decomptes.json', { mtime });
  zip.addBuffer(json(data.auditLines), 'journal.json', { mtime });

  zip.end();
  return zip.outputStream as Readable;
}
