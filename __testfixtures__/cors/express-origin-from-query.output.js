const express = require('express');

const allowedOrigins = (process.env.ALLOWED_ORIGINS || 'http://localhost:3000').split(',').map((origin) => origin.trim()).filter((origin) => origin && origin !== '*');

const app = express();

app.post('/api/chat', (req, res) => {
  // The widget tells us where it is embedded.
  const origin = req.headers.origin;
  if (origin && allowedOrigins.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.json({ reply: 'hello' });
});

app.listen(3000);
