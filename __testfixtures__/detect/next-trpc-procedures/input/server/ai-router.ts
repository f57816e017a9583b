import OpenAI from 'openai';
import { z } from 'zod';
import { publicProcedure, router } from './trpc';

const openai = new OpenAI();

export const aiRouter = router({
  complete: publicProcedure.input(z.string()).mutation(async ({ input }) => {
    const response = await openai.responses.create({ model: 'gpt-4o-mini', input });
    return response.output_text;
  }),
});
