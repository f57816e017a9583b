const express = require('express');

const app = express();

app.get('/api/items', (req, res) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.json({ items: [] });
});

app.listen(3000);
