import { Hono } from 'hono';
import { cors } from 'hono/cors';

const app = new Hono();

app.use(
  '/api/*',
  cors({
    origin: (origin) => origin,
    credentials: true,
  }),
);

export default app;
