import type { FastifyPluginAsync } from 'fastify';

const passwordResetRoutes: FastifyPluginAsync = async (_app) => {};

export default passwordResetRoutes;
