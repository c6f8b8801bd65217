import type { FastifyPluginAsync } from 'fastify';

const emailVerificationRoutes: FastifyPluginAsync = async (_app) => {};

export default emailVerificationRoutes;
