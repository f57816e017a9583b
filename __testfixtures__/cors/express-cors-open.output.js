const express = require('express');
const cors = require('cors');

const allowedOrigins = (process.env.ALLOWED_ORIGINS || 'http://localhost:3000').split(',').map((origin) => origin.trim()).filter((origin) => origin && origin !== '*');

const app = express();
app.use(cors({ origin: allowedOrigins }));
app.use(express.json());

app.post('/api/chat', (req, res) => {
  res.json({ ok: true });
});

app.listen(3001);
