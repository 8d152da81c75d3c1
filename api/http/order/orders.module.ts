import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller.js';
import { PhotosController } from './photos.controller.js';

@Module({ controllers: [OrdersController, PhotosController] })
export class OrdersHttpModule {}
