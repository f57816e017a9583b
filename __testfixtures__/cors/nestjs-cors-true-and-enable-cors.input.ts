import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AdminModule } from './admin.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { cors: true });
  await app.listen(process.env.PORT ?? 3000);

  const admin = await NestFactory.create(AdminModule);
  admin.enableCors({ credentials: true });
  await admin.listen(3001);
}

bootstrap();
