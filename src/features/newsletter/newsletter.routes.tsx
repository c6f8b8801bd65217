import type { FastifyPluginAsync } from 'fastify';

const newsletterRoutes: FastifyPluginAsync = async (_app) => {};

export default newsletterRoutes;
