import type { FastifyPluginAsync } from 'fastify';
import { parisDate } from '../../lib/clock.ts';
import { ownContractOf } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { currentMandate } from '../direct-debit/direct-debit.queries.ts';
import { directDebitCoverage } from '../direct-debit/direct-debit.rules.ts';
import { currentTerminations } from '../terminations/terminations.queries.ts';
import { findContracts } from './contracts.queries.ts';
import { blockedBadges } from '../badges/badges.queries.ts';
import { ContractView, ContractsView } from './contracts.views.tsx';
import { forAccountants } from '../users/users.rules.ts';


const contractsRoutes: FastifyPluginAsync = async (app) => {

  app.get('/contrats', forAccountants, async (req, reply) => {
    const customerId = req.customer.id;
    const [contracts, mandate, blocked, terminations] = await Promise.all([
      findContracts(app.db, customerId, parisDate(app.clock.now())),
      currentMandate(app.db, customerId),
      blockedBadges(app.db, customerId),
      currentTerminations(app.db, customerId),
    ]);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('contracts.title'), <ContractsView ctx={ctx} contracts={contracts} mandate={mandate} coverage={directDebitCoverage(contracts)} blocked={blocked} terminations={terminations} />);
  });

  app.get('/contrats/:number', forAccountants, async (req, reply) => {
    const contract = await ownContractOf(req, async (number) => (await findContracts(app.db, req.customer.id, parisDate(app.clock.now()), number))[0]);
    const [blocked, terminations] = await Promise.all([blockedBadges(app.db, req.customer.id), currentTerminations(app.db, req.customer.id)]);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('contracts.contract', { number: contract.number }), <ContractView ctx={ctx} contract={contract} blocked={blocked} terminations={terminations} />);
  });
};

export default contractsRoutes;
