import cors from "cors";
import express from "express";

const allowedOrigins = (process.env.ALLOWED_ORIGINS || "http://localhost:3000").split(",").map((origin) => origin.trim()).filter((origin) => origin && origin !== "*");

const app = express();
app.use(cors({ origin: allowedOrigins, credentials: true }));

export default app;
