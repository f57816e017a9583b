const express = require('express');

const app = express();

app.get('/api/items', (req, res) => {
  res.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' });
  res.json({ items: [] });
});

app.listen(3000);
