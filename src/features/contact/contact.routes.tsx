import type { FastifyPluginAsync } from 'fastify';

const contactRoutes: FastifyPluginAsync = async (_app) => {};

export default contactRoutes;
