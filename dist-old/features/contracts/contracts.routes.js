import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { parisDate } from '../../lib/clock.js';
import { deniedAsNotFound } from '../../lib/ownership.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { wellFormed } from '../../lib/validation.js';
import { currentMandate } from '../direct-debit/direct-debit.queries.js';
import { directDebitCoverage } from '../direct-debit/direct-debit.rules.js';
import { findContracts } from './contracts.queries.js';
import { ContractView, ContractsView } from './contracts.views.js';
const params = z.object({ number: wellFormed(z.string().min(1).max(40)) });
const contractsRoutes = async (app) => {
    app.get('/contrats', async (req, reply) => {
        const customerId = req.customer.id;
        const [contracts, mandate] = await Promise.all([findContracts(app.db, customerId, parisDate(app.clock.now())), currentMandate(app.db, customerId)]);
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('contracts.title'), _jsx(ContractsView, { ctx: ctx, contracts: contracts, mandate: mandate, coverage: directDebitCoverage(contracts) }));
    });
    app.get('/contrats/:number', async (req, reply) => {
        const { number } = params.parse(req.params);
        const [contract] = number.value ? await findContracts(app.db, req.customer.id, parisDate(app.clock.now()), number.value) : [];
        if (!contract)
            return deniedAsNotFound(req, 'contract', number.raw);
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('contracts.contract', { number: contract.number }), _jsx(ContractView, { ctx: ctx, contract: contract }));
    });
};
export default contractsRoutes;
//# sourceMappingURL=contracts.routes.js.map