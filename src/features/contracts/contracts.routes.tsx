import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { deniedAsNotFound } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { currentMandate } from '../direct-debit/direct-debit.queries.ts';
import { findContracts } from './contracts.queries.ts';
import { ContractView, ContractsView } from './contracts.views.tsx';

const params = z.object({ number: z.string().min(1).max(40) });

const contractsRoutes: FastifyPluginAsync = async (app) => {

  app.get('/contrats', async (req, reply) => {
    const customerId = req.customer.id;
    const [contracts, mandate] = await Promise.all([findContracts(app.db, customerId), currentMandate(app.db, customerId)]);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('contracts.title'), <ContractsView ctx={ctx} contracts={contracts} mandate={mandate} />);
  });

  app.get('/contrats/:number', async (req, reply) => {
    const parsed = params.safeParse(req.params);
    const number = parsed.success ? parsed.data.number : String((req.params as { number?: unknown }).number ?? '');
    const [contract] = parsed.success ? await findContracts(app.db, req.customer.id, number) : [];
    if (!contract) return deniedAsNotFound(req, 'contract', number);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('contracts.contract', { number: contract.number }), <ContractView ctx={ctx} contract={contract} />);
  });
};

export default contractsRoutes;
