import { AppModule } from './app.module';

export const rootModule = AppModule;
