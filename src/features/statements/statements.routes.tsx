import type { FastifyPluginAsync } from 'fastify';
import { requireCustomer } from '../auth/guard.ts';

const statementsRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', requireCustomer);
};

export default statementsRoutes;
