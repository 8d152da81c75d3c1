import { Module } from '@nestjs/common';
import { GetCustomerHandler, ListCustomersHandler } from './customer.queries.js';
import { RegisterCustomerHandler } from './register-customer.handler.js';

@Module({ providers: [RegisterCustomerHandler, GetCustomerHandler, ListCustomersHandler] })
export class CustomerModule {}
