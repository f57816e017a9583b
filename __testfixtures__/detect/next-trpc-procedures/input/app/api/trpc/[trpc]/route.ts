import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { aiRouter } from '../../../../server/ai-router';

const handler = (req: Request) => fetchRequestHandler({ endpoint: '/api/trpc', req, router: aiRouter, createContext: () => ({}) });

export { handler as GET, handler as POST };
