import { Module } from '@nestjs/common';
import { EraseCustomerHandler } from './erase-customer.handler.js';
import { EraseInactiveCustomersJob } from './erase-inactive-customers.job.js';
import { ExportCustomerHandler } from './export-customer.query.js';

@Module({
  providers: [EraseCustomerHandler, EraseInactiveCustomersJob, ExportCustomerHandler],
  exports: [EraseInactiveCustomersJob],
})
export class PrivacyModule {}
