import { Module } from '@nestjs/common';
import { GetCustomerHandler, ListCustomersHandler } from '../../../application/customer/customer.queries.js';
import { RegisterCustomerHandler } from '../../../application/customer/register-customer.handler.js';
import { CustomersController } from './customers.controller.js';

@Module({ controllers: [CustomersController], providers: [RegisterCustomerHandler, GetCustomerHandler, ListCustomersHandler] })
export class CustomersModule {}
