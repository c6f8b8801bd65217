import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../lib/errors.ts';
import { deniedAsNotFound } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { historySince } from '../account/account.rules.ts';
import { isPaperless } from '../customers/customers.queries.ts';
import { findExits, findPetitRouleurContracts, findStatement, findStatements } from './statements.queries.ts';
import { MONTH_PATTERN, discountRateBp, parisMonth, statementDiscount } from './statements.rules.ts';
import { contractStatements } from './statements.service.ts';
import { ExitsView, StatementsView, formatMonth } from './statements.views.tsx';
import { forAccountants } from '../users/users.rules.ts';

const monthParams = z.object({
  contractNumber: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  month: z.string().regex(MONTH_PATTERN),
});

/** "Décomptes petits rouleurs": monthly exit statements of résident-petit-rouleur contracts. */
const statementsRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app;

  app.get('/decomptes', forAccountants, async (req, reply) => {
    // Whose statements: the session's customer, never anything from the request (Z1).
    const customerId = req.customer.id;
    const currentMonth = parisMonth(clock.now());
    const [contracts, statements, paperless] = await Promise.all([
      findPetitRouleurContracts(db, customerId),
      findStatements(db, customerId, currentMonth),
      isPaperless(db, customerId),
    ]);
    // The page concerns petit-rouleur subscribers only; to anyone else it does not exist.
    if (contracts.length === 0) throw notFound();

    const data = contractStatements(contracts, statements, currentMonth);

    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('statements.title'), <StatementsView ctx={ctx} contracts={data} since={historySince(clock.now(), paperless)} />);
  });

  app.get('/decomptes/:contractNumber/:month', forAccountants, async (req, reply) => {
    const parsed = monthParams.safeParse(req.params);
    if (!parsed.success) throw notFound();
    const { contractNumber, month } = parsed.data;
    const customer = req.customer;
    const statement = await findStatement(db, customer.id, contractNumber, month);
    // Someone else's contract, not a petit-rouleur one, or no statement that month: all
    // answered as "not found", and the attempt is recorded (Z1, L1).
    if (!statement) return deniedAsNotFound(req, 'exit_statement', `${contractNumber}/${month}`);
    const variant30 = statement.petit_rouleur_30 === 1;
    const rateBp = discountRateBp(statement.exit_count, variant30);
    const discount = statementDiscount(statement, rateBp, statement.discount_ht_cents);
    const [exits, paperless] = await Promise.all([findExits(db, statement.id), isPaperless(db, customer.id)]);
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t('statements.exits.title', { month: formatMonth(statement.month, ctx.lang) }),
      <ExitsView ctx={ctx} statement={statement} rateBp={rateBp} discount={discount} exits={exits} since={historySince(clock.now(), paperless)} />,
    );
  });
};

export default statementsRoutes;
