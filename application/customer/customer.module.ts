import { Module } from '@nestjs/common';
import { GetCustomerHandler, ListCustomersHandler } from './customer.queries.js';
import { RegisterCustomerHandler } from './register-customer.handler.js';
import { UpdateCustomerHandler } from './update-customer.handler.js';

@Module({ providers: [RegisterCustomerHandler, UpdateCustomerHandler, GetCustomerHandler, ListCustomersHandler] })
export class CustomerModule {}
