import type { FastifyPluginAsync } from 'fastify';

const pagesRoutes: FastifyPluginAsync = async (_app) => {};

export default pagesRoutes;
