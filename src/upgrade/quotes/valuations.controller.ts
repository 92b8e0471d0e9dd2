import { Body, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiParam } from '@nestjs/swagger';
import { Collection, CollectionQuery } from '../../common/collection.decorator';
import { Roles } from '../../common/principal';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { ModifiersInput, ModifiersView, ValuationInput, ValuationView } from './quotes.dto';
import { VALUATION_SPEC, ValuationsService } from './valuations.service';

@ProgramController('Customer programme — admin', '/admin')
export class ValuationsController {
  constructor(private readonly valuations: ValuationsService) {}

  @Get('valuations')
  @ProgramRoute('staff')
  @Doc('List valuations', 'Filters: product_id (exact), make, model (partial); order[id|make|model|year_from|base_value]; page, itemsPerPage.', {
    status: 200,
    type: [ValuationView],
    description: 'A page of valuations.',
  })
  list(@ProgramCaller() c: Caller, @Collection(VALUATION_SPEC, { properties: false }) q: CollectionQuery) {
    return this.valuations.listValuations(c, q);
  }

  @Post('valuations')
  @Roles('admin', 'manager')
  @ProgramRoute('staff')
  @Doc('Create a valuation', 'Base value per make/model/year range, optionally with a product_id.', { status: 201, type: ValuationView, description: 'Created.' }, [
    [409, 'product_id already used.'],
    [422, 'Invalid fields.'],
  ])
  @ApiBody({ type: ValuationInput })
  create(@ProgramCaller() c: Caller, @Body() input: ValuationInput) {
    return this.valuations.createValuation(c, input);
  }

  @Get('valuations/:id')
  @ProgramRoute('staff')
  @ApiParam({ name: 'id', description: 'Valuation id.', example: '3' })
  @Doc('Get a valuation', 'One valuation.', { status: 200, type: ValuationView, description: 'The valuation.' })
  get(@ProgramCaller() c: Caller, @Param('id') id: string) {
    return this.valuations.getValuation(c, id);
  }

  @Put('valuations/:id')
  @Roles('admin', 'manager')
  @ProgramRoute('staff')
  @ApiParam({ name: 'id', description: 'Valuation id.', example: '3' })
  @Doc('Replace a valuation', 'Every required field again. Quotes already made keep their value.', { status: 200, type: ValuationView, description: 'Updated.' }, [
    [409, 'product_id already used.'],
    [422, 'Invalid fields.'],
  ])
  @ApiBody({ type: ValuationInput })
  update(@ProgramCaller() c: Caller, @Param('id') id: string, @Body() input: ValuationInput) {
    return this.valuations.updateValuation(c, id, input);
  }

  @Delete('valuations/:id')
  @HttpCode(204)
  @Roles('admin', 'manager')
  @ProgramRoute('staff')
  @ApiParam({ name: 'id', description: 'Valuation id.', example: '3' })
  @Doc('Delete a valuation', 'Quotes made from it keep their value.', { status: 204, description: 'Deleted.' })
  async remove(@ProgramCaller() c: Caller, @Param('id') id: string) {
    await this.valuations.deleteValuation(c, id);
  }

  @Get('condition-modifiers')
  @ProgramRoute('staff')
  @Doc('Condition modifiers', 'Percent of the base value per grade (defaults excellent 100, good 80, fair 60, poor 40).', { status: 200, type: ModifiersView, description: 'The modifiers.' })
  modifiers(@ProgramCaller() c: Caller) {
    return this.valuations.getModifiers(c);
  }

  @Put('condition-modifiers')
  @Roles('admin', 'manager')
  @ProgramRoute('staff')
  @Doc('Change condition modifiers', 'Only the grades sent change. Later quotes use the new values.', { status: 200, type: ModifiersView, description: 'The modifiers.' }, [
    [422, 'Invalid percent (0–200, two decimals).'],
  ])
  @ApiBody({ type: ModifiersInput })
  setModifiers(@ProgramCaller() c: Caller, @Body() input: ModifiersInput) {
    return this.valuations.putModifiers(c, input);
  }
}
