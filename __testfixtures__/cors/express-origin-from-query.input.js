const express = require('express');

const app = express();

app.post('/api/chat', (req, res) => {
  // The widget tells us where it is embedded.
  res.setHeader('Access-Control-Allow-Origin', req.query.embedOrigin);
  res.json({ reply: 'hello' });
});

app.listen(3000);
