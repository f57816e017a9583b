const cors = require('cors');
const express = require('express');

const app = express();
app.use(cors({ origin: '*', credentials: true }));

app.get('/api/items', (req, res) => {
  res.json({ items: [] });
});

app.listen(3000);
