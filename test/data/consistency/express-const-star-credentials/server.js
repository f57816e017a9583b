const express = require('express');

const ALLOWED_ORIGIN = '*';
const app = express();

app.get('/api/items', (req, res) => {
  res.setHeader('Access-Control-Allow-Origin', ALLOWED_ORIGIN);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.json({ items: [] });
});

app.listen(3000);
