import { bootstrapApplication } from '@angular/platform-browser';

import { AppComponent } from './app/app.component';
import { appConfig } from './app/app.config';
import { showBootError } from './app/core/config/boot-error';

bootstrapApplication(AppComponent, appConfig).catch(showBootError);
