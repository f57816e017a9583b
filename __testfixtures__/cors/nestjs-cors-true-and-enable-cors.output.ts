import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AdminModule } from './admin.module';

const allowedOrigins = (process.env.ALLOWED_ORIGINS || 'http://localhost:3000').split(',').map((origin) => origin.trim()).filter((origin) => origin && origin !== '*');

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { cors: { origin: allowedOrigins } });
  await app.listen(process.env.PORT ?? 3000);

  const admin = await NestFactory.create(AdminModule);
  admin.enableCors({ origin: allowedOrigins, credentials: true });
  await admin.listen(3001);
}

bootstrap();
