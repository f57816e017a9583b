const express = require('express');
const cors = require('cors');

const app = express();
app.use(cors());
app.use(express.json());

app.post('/api/chat', (req, res) => {
  res.json({ ok: true });
});

app.listen(3001);
